import type { Clock } from './clock.js';
import type { PermissionRule } from './permissions.js';
import type { ServerProfile } from './server-profile.js';

/** Built-in organisation roles (a custom role slug is stored as-is). @internal */
export type OrgRole = 'admin' | 'member' | 'no-access' | (string & {});

/** @internal */
export interface IdentityRecord {
  id: string;
  name: string;
  orgId: string;
  orgMembershipId: string;
  orgRole: OrgRole;
  hasDeleteProtection: boolean;
  metadata: Array<{ id: string; key: string; value: string }>;
  createdAt: string;
  updatedAt: string;
}

/** @internal */
export interface TrustedIp {
  ipAddress: string;
  type: 'ipv4' | 'ipv6';
  prefix: number;
}

/** @internal */
export interface UniversalAuthRecord {
  id: string;
  identityId: string;
  clientId: string;
  accessTokenTTL: number;
  accessTokenMaxTTL: number;
  accessTokenNumUsesLimit: number;
  accessTokenPeriod: number;
  clientSecretTrustedIps: TrustedIp[];
  accessTokenTrustedIps: TrustedIp[];
  lockoutEnabled: boolean;
  lockoutThreshold: number;
  lockoutDurationSeconds: number;
  lockoutCounterResetSeconds: number;
  createdAt: string;
  updatedAt: string;
}

/** A client secret; only a SHA-256 of the plaintext is kept. @internal */
export interface ClientSecretRecord {
  id: string;
  identityId: string;
  identityUAId: string;
  prefix: string;
  hash: string;
  description: string;
  numUses: number;
  numUsesLimit: number;
  ttl: number;
  revoked: boolean;
  createdAt: string;
  createdAtMs: number;
  updatedAt: string;
}

/** @internal */
export interface AccessTokenRecord {
  id: string;
  identityId: string;
  clientSecretId: string;
  expiresAtMs: number | undefined;
  numUses: number;
  numUsesLimit: number;
  revoked: boolean;
}

/** @internal */
export interface LockoutState {
  failures: number[];
  lockedUntilMs: number;
}

/** @internal */
export interface EnvironmentRecord {
  id: string;
  name: string;
  slug: string;
  position: number;
}

/** @internal */
export interface FolderRecord {
  id: string;
  name: string;
  envId: string;
  envSlug: string;
  parentId: string | null;
  path: string;
  version: number;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

/** @internal */
export interface SecretVersionRecord {
  version: number;
  key: string;
  value: string;
  comment: string;
  skipMultilineEncoding: boolean;
  updatedAt: string;
}

/** @internal */
export interface SecretRecord {
  id: string;
  envSlug: string;
  path: string;
  type: 'shared' | 'personal';
  versions: SecretVersionRecord[];
  createdAt: string;
}

/** Time-bounded access, as Infisical stores it on roles and privileges. @internal */
export interface TemporaryAccess {
  isTemporary: boolean;
  temporaryMode: string | null;
  temporaryRange: string | null;
  temporaryAccessStartTime: string | null;
  temporaryAccessEndTime: string | null;
}

/** @internal */
export interface MembershipRoleRecord extends TemporaryAccess {
  id: string;
  role: string;
  createdAt: string;
  updatedAt: string;
}

/** @internal */
export interface MembershipRecord {
  id: string;
  identityId: string;
  projectId: string;
  roles: MembershipRoleRecord[];
  createdAt: string;
  updatedAt: string;
}

/** @internal */
export interface PrivilegeRecord extends TemporaryAccess {
  id: string;
  identityId: string;
  projectId: string;
  membershipId: string;
  slug: string;
  permissions: PermissionRule[];
  createdAt: string;
  updatedAt: string;
}

/** @internal */
export interface ProjectRecord {
  id: string;
  name: string;
  slug: string;
  orgId: string;
  createdAt: string;
  updatedAt: string;
  environments: EnvironmentRecord[];
  /** The project setting that refuses secret names that are not upper case. */
  enforceCapitalization: boolean;
  /** Values the secret-detection policy never flags (project setting). */
  secretDetectionIgnoreValues: string[];
}

/**
 * The server's opt-in secret-detection policy (`PARAMS_FOLDER_SECRET_DETECTION_ENABLED` with
 * `PARAMS_FOLDER_SECRET_DETECTION_PATHS` and `…_ENTROPY`): values written under one of `paths`
 * whose entropy exceeds `entropy` are refused.
 */
export interface SecretDetectionPolicy {
  /** picomatch globs over `secretPath`, e.g. `/MooseQuest/identities/**`. */
  readonly paths: readonly string[];
  /** Shannon entropy (bits per character) above which a value is refused. Default 3.7, the server's. */
  readonly entropy?: number;
}

/** How this server is deployed: version profile and the settings a deployment chooses. @internal */
export interface ServerSettings {
  readonly profile: ServerProfile;
  /** Whether the v2 identity additional-privilege routes exist (absent on builds that predate them). */
  readonly v2PrivilegeRoutes: boolean;
  /** How long a computed permission set is reused; 0 = every check sees the latest privileges. */
  permissionCacheMs: number;
  secretDetection: SecretDetectionPolicy | undefined;
}

/** A cached permission set of one identity. @internal */
export interface CachedRules {
  readonly rules: PermissionRule[];
  readonly atMs: number;
}

/** Everything the fake Infisical knows. One organisation, one project. @internal */
export interface VaultStore {
  readonly clock: Clock;
  /** HMAC key for the access tokens this model mints. */
  readonly tokenKey: Buffer;
  readonly org: { id: string; name: string; slug: string };
  readonly project: ProjectRecord;
  readonly server: ServerSettings;
  /** Keyed by identity id; used only while `server.permissionCacheMs` > 0. */
  readonly permissionCache: Map<string, CachedRules>;
  readonly identities: Map<string, IdentityRecord>;
  /** Keyed by identity id. */
  readonly universalAuth: Map<string, UniversalAuthRecord>;
  readonly clientSecrets: Map<string, ClientSecretRecord>;
  readonly accessTokens: Map<string, AccessTokenRecord>;
  /** Keyed by identity id. */
  readonly lockouts: Map<string, LockoutState>;
  /** Keyed by `folderKey(env, path)`. */
  readonly folders: Map<string, FolderRecord>;
  /** Keyed by `secretKeyOf(env, path, key)`. */
  readonly secrets: Map<string, SecretRecord>;
  /** Keyed by identity id (one project). */
  readonly memberships: Map<string, MembershipRecord>;
  readonly privileges: Map<string, PrivilegeRecord>;
}

/** @internal */
export const folderKey = (envSlug: string, path: string): string => `${envSlug}\u0000${path}`;

/** @internal */
export const secretKeyOf = (envSlug: string, path: string, key: string): string => `${envSlug}\u0000${path}\u0000${key}`;

/** The current version of a secret. @internal */
export function latest(secret: SecretRecord): SecretVersionRecord {
  const v = secret.versions[secret.versions.length - 1];
  if (!v) throw new Error('secret without versions');
  return v;
}
