import type { SecretValue } from '../secret-value.js';

/**
 * Request and response shapes of the Infisical endpoints the client calls,
 * as documented in `infisical-api.md`. Only the fields this package reads or
 * sends are typed; Infisical may return more. Every secret (client secrets,
 * access tokens, secret values) is held in a {@link SecretValue}.
 */

/** Credentials of a machine identity's universal auth. */
export interface UniversalAuthCredentials {
  /** Universal-auth client id (public). */
  readonly clientId: string;
  /** Universal-auth client secret. */
  readonly clientSecret: SecretValue;
}

/** `POST /api/v1/auth/universal-auth/login` → 200. */
export interface LoginResult {
  /** The bearer access token. */
  readonly accessToken: SecretValue;
  /** Seconds until the token expires (0 = never). */
  readonly expiresIn: number;
  /** Seconds the token may be renewed for. */
  readonly accessTokenMaxTTL: number;
  readonly tokenType: string;
}

/** `GET /api/status` → 200. */
export interface StatusResponse {
  readonly date: string;
  readonly message: string;
}

/** A project (`GET /api/v1/workspace/{id}` → `workspace`). */
export interface Project {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  /** The organisation the project belongs to. */
  readonly orgId: string;
  readonly environments: readonly { readonly id: string; readonly name: string; readonly slug: string }[];
}

/** A machine identity (`POST /api/v1/identities` → `identity`). */
export interface Identity {
  readonly id: string;
  readonly name: string;
  readonly orgId?: string;
  readonly authMethods?: readonly string[];
}

/** `POST /api/v1/identities` body. */
export interface CreateIdentityRequest {
  readonly name: string;
  readonly organizationId: string;
  /** Organisation role. Default (Infisical's) `no-access`. */
  readonly role?: string;
}

/** An organisation membership of an identity (list items of `GET /api/v2/organizations/{orgId}/identity-memberships`). */
export interface OrgIdentityMembership {
  /** Membership id (not the identity id). */
  readonly id: string;
  /** Organisation role, e.g. `no-access`. */
  readonly role: string;
  readonly orgId?: string;
  readonly identityId?: string;
  readonly identity: Identity;
}

/** Universal-auth configuration of an identity. */
export interface IdentityUniversalAuth {
  readonly id: string;
  /** The universal-auth client id (public). */
  readonly clientId: string;
  readonly identityId: string;
  readonly accessTokenTTL: number;
  readonly accessTokenMaxTTL: number;
  readonly accessTokenNumUsesLimit: number;
}

/** A trusted IP range. */
export interface TrustedIp {
  readonly ipAddress: string;
}

/** `POST /api/v1/auth/universal-auth/identities/{identityId}` body. */
export interface AttachUniversalAuthRequest {
  readonly accessTokenTTL: number;
  readonly accessTokenMaxTTL: number;
  readonly accessTokenNumUsesLimit?: number;
  readonly accessTokenTrustedIps?: readonly TrustedIp[];
  readonly clientSecretTrustedIps?: readonly TrustedIp[];
}

/** Metadata of a client secret (never the secret itself). */
export interface ClientSecretData {
  readonly id: string;
  /** First 4 characters of the secret. */
  readonly clientSecretPrefix: string;
  readonly description: string;
  readonly clientSecretNumUses: number;
  readonly clientSecretNumUsesLimit: number;
  readonly clientSecretTTL: number;
  readonly isClientSecretRevoked: boolean;
  readonly createdAt: string;
}

/** `POST …/client-secrets` body. */
export interface CreateClientSecretRequest {
  readonly description?: string;
  /** Seconds until the secret expires; 0 = never. */
  readonly ttl?: number;
  /** Logins allowed; 0 = unlimited. */
  readonly numUsesLimit?: number;
}

/** `POST …/client-secrets` → 200: the secret, returned once, and its metadata. */
export interface IssuedClientSecret {
  readonly clientSecret: SecretValue;
  readonly clientSecretData: ClientSecretData;
}

/** Where a folder or secret lives. */
export interface SecretLocation {
  /** Project id (Infisical's `workspaceId`). */
  readonly workspaceId: string;
  /** Environment slug, e.g. `prod`. */
  readonly environment: string;
}

/** A folder (`GET /api/v1/folders` items). */
export interface Folder {
  readonly id: string;
  readonly name: string;
  readonly parentId?: string | null;
}

/** A secret as returned by the raw secrets API; the value is held in a {@link SecretValue}. */
export interface Secret {
  readonly id: string;
  readonly secretKey: string;
  readonly secretValue: SecretValue;
  readonly secretComment: string;
  readonly version: number;
  readonly secretPath?: string;
  readonly environment: string;
}

/** Identifies one secret. */
export interface SecretRef extends SecretLocation {
  /** Folder path. Default `/`. */
  readonly secretPath: string;
  readonly secretKey: string;
}

/** Body of a secret create or update. */
export interface WriteSecretRequest extends SecretRef {
  readonly secretValue: SecretValue;
  readonly secretComment?: string;
}

/** A project membership of an identity (`GET /api/v2/workspace/{projectId}/identity-memberships/{identityId}`). */
export interface ProjectIdentityMembership {
  readonly id: string;
  readonly identityId?: string;
  /** Roles of the membership; older builds return a single `role` instead. */
  readonly roles: readonly { readonly role: string; readonly customRoleSlug?: string | null; readonly isTemporary?: boolean }[];
}

/** One CASL rule of an additional privilege. */
export interface PrivilegePermission {
  readonly subject: string;
  readonly action: readonly string[];
  readonly conditions?: Readonly<Record<string, unknown>>;
  readonly inverted?: boolean;
}

/** Permanent or temporary grant. */
export type PrivilegeType =
  | { readonly isTemporary: false }
  | {
      readonly isTemporary: true;
      readonly temporaryMode: 'relative';
      readonly temporaryRange: string;
      readonly temporaryAccessStartTime: string;
    };

/** An identity's additional privilege in a project. */
export interface IdentityPrivilege {
  readonly id: string;
  readonly slug: string;
  readonly isTemporary: boolean;
  /** Absent in list answers. */
  readonly permissions?: readonly PrivilegePermission[];
}

/** `POST /api/v2/identity-project-additional-privilege` body. */
export interface CreateIdentityPrivilegeRequest {
  readonly identityId: string;
  readonly projectId: string;
  readonly slug: string;
  readonly permissions: readonly PrivilegePermission[];
  readonly type: PrivilegeType;
}
