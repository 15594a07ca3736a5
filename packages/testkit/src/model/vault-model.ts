import { randomBytes } from 'node:crypto';
import { createClock } from './clock.js';
import { findFolder, removeFolderTree } from './folders.js';
import { authMethodsOf } from './identities.js';
import { normalizePath } from './paths.js';
import { uuid } from './random.js';
import { putSecret as putSecretRecord } from './secrets.js';
import { type SeedSecret, seedStore, type VaultSeed } from './seed.js';
import { isServerProfile, type ServerProfile } from './server-profile.js';
import { latest, type SecretDetectionPolicy, secretKeyOf, type VaultStore } from './store.js';

/** Locates one secret. */
export interface SecretRef {
  readonly environment: string;
  readonly secretPath: string;
  readonly secretKey: string;
}

/** An in-memory Infisical (one org, one project) with read-only views for test assertions. */
export interface VaultModel {
  /** Ids and credentials of the seeded world. */
  readonly seed: VaultSeed;
  /** Identities with this exact name (Infisical does not make names unique). */
  findIdentitiesByName(name: string): Array<{ id: string; name: string; orgRole: string; authMethods: string[] }>;
  /** Client secrets of an identity, without plaintext or hash; revoked ones only with `includeRevoked`. */
  listClientSecrets(
    identityId: string,
    opts?: { includeRevoked?: boolean },
  ): Array<{ id: string; prefix: string; description: string; revoked: boolean; numUses: number; ttl: number; createdAt: string }>;
  /** The current value and version of a secret, if it exists. */
  getSecretValue(ref: SecretRef): { value: string; version: number } | undefined;
  folderExists(environment: string, path: string): boolean;
  /** The identity's project membership and its role slugs. */
  getMembership(identityId: string): { id: string; roles: string[] } | undefined;
  listPrivileges(identityId: string): Array<{ id: string; slug: string; permissions: unknown[] }>;
  /** The model's clock (ms since epoch): the base clock plus everything `advanceTime` added. */
  now(): number;
  /** Move the clock forward (token expiry, client-secret TTL, lockouts). */
  advanceTime(ms: number): void;
  /** Create a secret or add a version, creating folders as needed (no permission checks). */
  putSecret(ref: SecretRef & { readonly value: string }): void;
  /** Remove a folder with its subfolders and secrets (no permission checks); whether it existed. */
  removeFolder(environment: string, path: string): boolean;
  /** The server build this model answers as. */
  readonly server: ServerProfile;
  /** Change deployment settings while the model runs (e.g. arm the secret-detection policy mid-test). */
  configure(settings: ServerSettingsPatch): void;
}

/** Deployment settings that may change while a model runs. */
export interface ServerSettingsPatch {
  /** The project setting that refuses lower-case secret names. */
  enforceCapitalization?: boolean;
  /** The opt-in secret-detection policy; `undefined` turns it off. */
  secretDetection?: SecretDetectionPolicy | undefined;
  /** How long permission sets are reused (ms); see {@link VaultModelOptions.permissionCacheMs}. */
  permissionCacheMs?: number;
}

/** Options of {@link createVaultModel}. */
export interface VaultModelOptions {
  /** The project id. Default: the runbook's `29b77751-f761-4afa-b3fa-2c842988f95c`. */
  projectId?: string;
  /** Secrets seeded after the default ones (folders created as needed). Default: none. */
  secrets?: readonly SeedSecret[];
  /** The base clock. Default: `Date.now`. */
  now?: () => number;
  /** The origin recorded in the seed. Default: `https://vault.raxx.app`. */
  origin?: string;
  /** Which Infisical build to answer as (see `ServerProfile`). Default `current`. */
  server?: ServerProfile;
  /** Whether the v2 identity additional-privilege routes exist. Default `true`; `false` answers as a build that predates them. */
  v2PrivilegeRoutes?: boolean;
  /**
   * How long a computed permission set is reused, in ms of the model clock. Default `0` (changes
   * apply at once); `REALISTIC_PERMISSION_CACHE_MS` (10 s) behaves like a real server.
   */
  permissionCacheMs?: number;
  /** The project setting that refuses lower-case secret names on create. Default `false`. */
  enforceCapitalization?: boolean;
  /** The opt-in secret-detection policy. Default: off. */
  secretDetection?: SecretDetectionPolicy;
}

const stores = new WeakMap<VaultModel, VaultStore>();

function checkCacheMs(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('permissionCacheMs must be a non-negative number of milliseconds');
  return ms;
}

/** The store behind a model, for the handlers. @internal */
export function storeOf(model: VaultModel): VaultStore {
  const store = stores.get(model);
  if (!store) throw new TypeError('Not a model created by createVaultModel');
  return store;
}

/** A fresh, seeded model. Every credential and secret value is random, so tests can scan output for them. */
export function createVaultModel(options: VaultModelOptions = {}): VaultModel {
  const server = options.server ?? 'current';
  if (!isServerProfile(server)) throw new TypeError(`createVaultModel: unknown server profile ${JSON.stringify(server)}`);
  const clock = createClock(options.now);
  const now = clock.iso();
  const orgId = uuid();
  const store: VaultStore = {
    clock,
    tokenKey: randomBytes(32),
    org: { id: orgId, name: 'MooseQuest', slug: 'moosequest' },
    project: {
      id: options.projectId ?? '29b77751-f761-4afa-b3fa-2c842988f95c',
      name: 'raxx-secrets',
      slug: 'raxx-secrets',
      orgId,
      createdAt: now,
      updatedAt: now,
      environments: [],
      enforceCapitalization: options.enforceCapitalization ?? false,
      secretDetectionIgnoreValues: [],
    },
    server: {
      profile: server,
      v2PrivilegeRoutes: options.v2PrivilegeRoutes ?? true,
      permissionCacheMs: checkCacheMs(options.permissionCacheMs ?? 0),
      secretDetection: options.secretDetection,
    },
    permissionCache: new Map(),
    identities: new Map(),
    universalAuth: new Map(),
    clientSecrets: new Map(),
    accessTokens: new Map(),
    lockouts: new Map(),
    folders: new Map(),
    secrets: new Map(),
    memberships: new Map(),
    privileges: new Map(),
  };
  const seed = seedStore(store, options.origin ?? 'https://vault.raxx.app', options.secrets ?? []);

  const model: VaultModel = {
    seed,
    findIdentitiesByName: (name) =>
      [...store.identities.values()]
        .filter((i) => i.name === name)
        .map((i) => ({ id: i.id, name: i.name, orgRole: i.orgRole, authMethods: authMethodsOf(store, i.id) })),
    listClientSecrets: (identityId, opts = {}) =>
      [...store.clientSecrets.values()]
        .filter((s) => s.identityId === identityId && (opts.includeRevoked || !s.revoked))
        .map((s) => ({
          id: s.id,
          prefix: s.prefix,
          description: s.description,
          revoked: s.revoked,
          numUses: s.numUses,
          ttl: s.ttl,
          createdAt: s.createdAt,
        })),
    getSecretValue: (ref) => {
      const secret = store.secrets.get(secretKeyOf(ref.environment, normalizePath(ref.secretPath), ref.secretKey));
      if (!secret) return undefined;
      const v = latest(secret);
      return { value: v.value, version: v.version };
    },
    folderExists: (environment, path) => findFolder(store, environment, path) !== undefined,
    getMembership: (identityId) => {
      const m = store.memberships.get(identityId);
      return m ? { id: m.id, roles: m.roles.map((r) => r.role) } : undefined;
    },
    listPrivileges: (identityId) =>
      [...store.privileges.values()]
        .filter((p) => p.identityId === identityId)
        .map((p) => ({ id: p.id, slug: p.slug, permissions: structuredClone(p.permissions) })),
    now: () => clock.now(),
    advanceTime: (ms) => clock.advance(ms),
    putSecret: (ref) => {
      putSecretRecord(store, ref.environment, ref.secretPath, ref.secretKey, ref.value);
    },
    removeFolder: (environment, path) => {
      const folder = findFolder(store, environment, path);
      if (!folder || folder.path === '/') return false;
      removeFolderTree(store, folder);
      return true;
    },
    server,
    configure: (settings) => {
      if (settings.enforceCapitalization !== undefined) store.project.enforceCapitalization = settings.enforceCapitalization;
      if ('secretDetection' in settings) store.server.secretDetection = settings.secretDetection;
      if (settings.permissionCacheMs !== undefined) store.server.permissionCacheMs = checkCacheMs(settings.permissionCacheMs);
    },
  };
  stores.set(model, store);
  return model;
}
