import { badRequest, forbidden, notFound } from '../errors.js';
import { assertCan, ORG_ROLES, orgRulesOf } from './permissions.js';
import { uuid } from './random.js';
import type { IdentityRecord, VaultStore } from './store.js';

/** Input of POST /api/v1/identities (already validated). @internal */
export interface CreateIdentityInput {
  name: string;
  organizationId: string;
  role: string;
  hasDeleteProtection: boolean;
  metadata: Array<{ key: string; value: string }>;
}

function assertOrg(store: VaultStore, orgId: string): void {
  // Infisical resolves the caller's org membership first; a foreign org is simply not accessible.
  if (orgId !== store.org.id) throw forbidden('You are not allowed to access this resource', 'ForbiddenError');
}

/** The auth methods attached to an identity. @internal */
export function authMethodsOf(store: VaultStore, identityId: string): string[] {
  return store.universalAuth.has(identityId) ? ['universal-auth'] : [];
}

/** Create an identity in the org. Names are not unique, as in Infisical. @internal */
export function createIdentity(store: VaultStore, actorId: string, input: CreateIdentityInput): IdentityRecord {
  assertOrg(store, input.organizationId);
  assertCan(orgRulesOf(store, actorId), 'create', 'identity');
  if (!ORG_ROLES.includes(input.role)) throw notFound(`Failed to find role with slug ${input.role}`);
  const now = store.clock.iso();
  const identity: IdentityRecord = {
    id: uuid(),
    name: input.name,
    orgId: store.org.id,
    orgMembershipId: uuid(),
    orgRole: input.role,
    hasDeleteProtection: input.hasDeleteProtection,
    metadata: input.metadata.map((m) => ({ id: uuid(), key: m.key, value: m.value })),
    createdAt: now,
    updatedAt: now,
  };
  store.identities.set(identity.id, identity);
  return identity;
}

/** An identity of the org the caller may read, or 404 (lower-case "id", as Infisical words it). @internal */
export function getIdentity(store: VaultStore, actorId: string, identityId: string): IdentityRecord {
  const identity = store.identities.get(identityId);
  if (!identity) throw notFound(`Failed to find identity with id ${identityId}`);
  assertCan(orgRulesOf(store, actorId), 'read', 'identity', { identityId });
  return identity;
}

/** All identities of an org, sorted by name. @internal */
export function listIdentities(store: VaultStore, actorId: string, orgId: string): IdentityRecord[] {
  assertOrg(store, orgId);
  assertCan(orgRulesOf(store, actorId), 'read', 'identity');
  return [...store.identities.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** @internal */
export function updateIdentity(
  store: VaultStore,
  actorId: string,
  identityId: string,
  patch: { name?: string; role?: string; hasDeleteProtection?: boolean },
): IdentityRecord {
  const identity = getIdentity(store, actorId, identityId);
  assertCan(orgRulesOf(store, actorId), 'edit', 'identity', { identityId });
  if (patch.role !== undefined && !ORG_ROLES.includes(patch.role)) throw notFound(`Failed to find role with slug ${patch.role}`);
  if (patch.name !== undefined) identity.name = patch.name;
  if (patch.role !== undefined) identity.orgRole = patch.role;
  if (patch.hasDeleteProtection !== undefined) identity.hasDeleteProtection = patch.hasDeleteProtection;
  identity.updatedAt = store.clock.iso();
  return identity;
}

/** Delete an identity and everything hanging off it (UA, secrets, tokens, membership, privileges). @internal */
export function deleteIdentity(store: VaultStore, actorId: string, identityId: string): IdentityRecord {
  const identity = getIdentity(store, actorId, identityId);
  assertCan(orgRulesOf(store, actorId), 'delete', 'identity', { identityId });
  if (identity.hasDeleteProtection) throw badRequest('Identity has delete protection');
  store.identities.delete(identityId);
  store.universalAuth.delete(identityId);
  store.lockouts.delete(identityId);
  store.memberships.delete(identityId);
  for (const [id, s] of store.clientSecrets) if (s.identityId === identityId) store.clientSecrets.delete(id);
  for (const [id, t] of store.accessTokens) if (t.identityId === identityId) store.accessTokens.delete(id);
  for (const [id, p] of store.privileges) if (p.identityId === identityId) store.privileges.delete(id);
  return identity;
}
