import { issueClientSecret } from './client-secrets.js';
import { ensureFolder } from './folders.js';
import { addMembership } from './memberships.js';
import { addPrivilege } from './privileges.js';
import { addEnvironment } from './projects.js';
import { randomHex, uuid } from './random.js';
import { putSecret } from './secrets.js';
import type { IdentityRecord, VaultStore } from './store.js';
import { UNIVERSAL_AUTH_DEFAULTS } from './universal-auth.js';

/** What a test or client needs to talk to a fresh model. Every credential is random per model. */
export interface VaultSeed {
  /** The vault's public origin, `https://vault.raxx.app`. */
  readonly origin: string;
  /** The Cloudflare Access service-token client id (`<hex>.access`). */
  readonly cfAccessClientId: string;
  /** The Cloudflare Access service-token secret (64 hex). */
  readonly cfAccessClientSecret: string;
  readonly organizationId: string;
  /** The project id; the runbook's `29b77751-f761-4afa-b3fa-2c842988f95c` unless overridden. */
  readonly projectId: string;
  readonly projectSlug: string;
  /** The environment the scoped identity may read, `prod` (the project also has `dev` and `staging`). */
  readonly environment: string;
  /** Org admin and project admin: may do everything. */
  readonly admin: { identityId: string; clientId: string; clientSecret: string };
  /** The runbook's MCP identity: org and project `no-access` plus privilege `mcp-main-loop-read` (read, prod, `/MooseQuest/**`). */
  readonly mcp: { identityId: string; name: string; clientId: string; clientSecret: string };
  /** A seeded secret inside the MCP identity's scope. */
  readonly probe: { key: string; path: string };
  /** A seeded path (with secrets) outside `/MooseQuest/**`, for 403 checks. */
  readonly outOfScopePath: string;
}

/** A secret to seed. */
export interface SeedSecret {
  readonly environment: string;
  readonly secretPath: string;
  readonly secretKey: string;
  readonly value: string;
}

/** The MCP identity's name in the runbook. */
export const MCP_IDENTITY_NAME = 'infisical-identity-mcp-main-loop-trademaster';
const MCP_CREDS_PATH = `/MooseQuest/identities/${MCP_IDENTITY_NAME}`;
const FOLDERS = ['/MooseQuest/app', '/MooseQuest/cloudflare', '/MooseQuest/identities', '/Ops'];

function addIdentity(store: VaultStore, name: string, orgRole: string): IdentityRecord {
  const now = store.clock.iso();
  const identity: IdentityRecord = {
    id: uuid(),
    name,
    orgId: store.org.id,
    orgMembershipId: uuid(),
    orgRole,
    hasDeleteProtection: false,
    metadata: [],
    createdAt: now,
    updatedAt: now,
  };
  store.identities.set(identity.id, identity);
  return identity;
}

function addMachineIdentity(store: VaultStore, name: string, orgRole: string, projectRole: string, ttl: number, maxTtl: number) {
  const identity = addIdentity(store, name, orgRole);
  const now = store.clock.iso();
  const ua = {
    ...UNIVERSAL_AUTH_DEFAULTS,
    clientSecretTrustedIps: [
      { ipAddress: '0.0.0.0', type: 'ipv4' as const, prefix: 0 },
      { ipAddress: '::', type: 'ipv6' as const, prefix: 0 },
    ],
    accessTokenTrustedIps: [
      { ipAddress: '0.0.0.0', type: 'ipv4' as const, prefix: 0 },
      { ipAddress: '::', type: 'ipv6' as const, prefix: 0 },
    ],
    accessTokenTTL: ttl,
    accessTokenMaxTTL: maxTtl,
    id: uuid(),
    identityId: identity.id,
    clientId: uuid(),
    createdAt: now,
    updatedAt: now,
  };
  store.universalAuth.set(identity.id, ua);
  const { clientSecret } = issueClientSecret(store, identity.id, { description: 'seed', numUsesLimit: 0, ttl: 0 });
  addMembership(store, identity.id, [{ role: projectRole }]);
  return { identityId: identity.id, clientId: ua.clientId, clientSecret };
}

/**
 * Seed the runbook's world: environments prod/dev/staging, folders under `/MooseQuest` and `/Ops`,
 * random-valued secrets (canaries), the admin identity and the scoped MCP identity whose
 * credentials are also stored where the runbook keeps them.
 * @internal
 */
export function seedStore(store: VaultStore, origin: string, extraSecrets: readonly SeedSecret[]): VaultSeed {
  for (const [name, slug] of [
    ['Development', 'dev'],
    ['Staging', 'staging'],
    ['Production', 'prod'],
  ] as const) {
    addEnvironment(store, name, slug);
  }
  for (const env of ['dev', 'staging', 'prod']) for (const path of FOLDERS) ensureFolder(store, env, path);

  const admin = addMachineIdentity(store, 'raxx-admin-machine-identity', 'admin', 'admin', 7200, 7200);
  const mcp = addMachineIdentity(store, MCP_IDENTITY_NAME, 'no-access', 'no-access', 3600, 7200);
  addPrivilege(store, mcp.identityId, {
    slug: 'mcp-main-loop-read',
    permissions: [{ subject: 'secrets', action: ['read'], conditions: { environment: 'prod', secretPath: { $glob: '/MooseQuest/**' } } }],
    type: { isTemporary: false },
  });

  const cfAccessClientId = `${randomHex(16)}.access`;
  const cfAccessClientSecret = randomHex(32);
  const secrets: Array<[string, string, string, string]> = [
    ['prod', '/MooseQuest', 'MOOSEQUEST_SHARED_TOKEN', randomHex(16)],
    ['prod', '/MooseQuest/app', 'DEMO_API_KEY', randomHex(16)],
    ['prod', '/MooseQuest/app', 'DATABASE_PASSWORD', randomHex(16)],
    ['prod', '/MooseQuest/cloudflare', 'CF_ACCESS_CLIENT_ID', cfAccessClientId],
    ['prod', '/MooseQuest/cloudflare', 'CF_ACCESS_CLIENT_SECRET', cfAccessClientSecret],
    ['prod', '/MooseQuest/identities', 'IDENTITIES_README', randomHex(16)],
    ['prod', MCP_CREDS_PATH, 'MCP_RO_CLIENT_ID', mcp.clientId],
    ['prod', MCP_CREDS_PATH, 'MCP_RO_CLIENT_SECRET', mcp.clientSecret],
    ['prod', '/Ops', 'OPS_PAGER_TOKEN', randomHex(16)],
    ['prod', '/Ops', 'OPS_DB_ROOT_PASSWORD', randomHex(16)],
    ['dev', '/MooseQuest/app', 'DEMO_API_KEY', randomHex(16)],
    ['staging', '/MooseQuest/app', 'DEMO_API_KEY', randomHex(16)],
  ];
  for (const [env, path, key, value] of secrets) putSecret(store, env, path, key, value);
  for (const s of extraSecrets) putSecret(store, s.environment, s.secretPath, s.secretKey, s.value);

  return {
    origin,
    cfAccessClientId,
    cfAccessClientSecret,
    organizationId: store.org.id,
    projectId: store.project.id,
    projectSlug: store.project.slug,
    environment: 'prod',
    admin,
    mcp: { ...mcp, name: MCP_IDENTITY_NAME },
    probe: { key: 'DEMO_API_KEY', path: '/MooseQuest/app' },
    outOfScopePath: '/Ops',
  };
}
