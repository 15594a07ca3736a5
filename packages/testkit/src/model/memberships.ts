import { badRequest, notFound } from '../errors.js';
import { assertCan, PROJECT_ROLES, projectRulesOf } from './permissions.js';
import { resolveProject } from './projects.js';
import { uuid } from './random.js';
import { behaviourOf } from './server-profile.js';
import type { MembershipRecord, MembershipRoleRecord, VaultStore } from './store.js';
import { temporaryAccess } from './temporary-access.js';

/** One requested project role. @internal */
export interface RoleInput {
  role: string;
  isTemporary?: boolean;
  temporaryMode?: string;
  temporaryRange?: string;
  temporaryAccessStartTime?: string;
}

function buildRoles(store: VaultStore, roles: readonly RoleInput[]): MembershipRoleRecord[] {
  if (roles.every((r) => r.isTemporary)) throw badRequest('Identity must have at least one permanent role');
  if (roles.some((r) => !PROJECT_ROLES.includes(r.role))) throw notFound('One or more custom roles not found');
  const now = store.clock.iso();
  return roles.map((r) => ({
    id: uuid(),
    role: r.role,
    ...temporaryAccess(r, 'Temporary role must have access start time and range'),
    createdAt: now,
    updatedAt: now,
  }));
}

/** Add an identity to the project without a permission check (seeding). @internal */
export function addMembership(store: VaultStore, identityId: string, roles: readonly RoleInput[]): MembershipRecord {
  const now = store.clock.iso();
  const membership: MembershipRecord = {
    id: uuid(),
    identityId,
    projectId: store.project.id,
    roles: buildRoles(store, roles),
    createdAt: now,
    updatedAt: now,
  };
  store.memberships.set(identityId, membership);
  return membership;
}

/** POST /api/v2/workspace/{projectId}/identity-memberships/{identityId}. @internal */
export function createMembership(
  store: VaultStore,
  actorId: string,
  projectId: string,
  identityId: string,
  roles: readonly RoleInput[],
): MembershipRecord {
  resolveProject(store, actorId, { projectId });
  assertCan(projectRulesOf(store, actorId), 'create', 'identity', { identityId });
  if (!store.identities.has(identityId)) throw badRequest(`Identity ${identityId} is missing organization membership`);
  if (store.memberships.has(identityId)) throw badRequest('Identity is already a member');
  return addMembership(store, identityId, roles);
}

/** @internal */
export function getMembership(store: VaultStore, actorId: string, projectId: string, identityId: string): MembershipRecord {
  resolveProject(store, actorId, { projectId });
  assertCan(projectRulesOf(store, actorId), 'read', 'identity', { identityId });
  const membership = store.memberships.get(identityId);
  // Current builds answer 404, older ones 400 (see server-profile.ts).
  if (!membership) throw behaviourOf(store.server.profile).membershipAbsent(identityId, projectId);
  return membership;
}

/** @internal */
export function listMemberships(store: VaultStore, actorId: string, projectId: string): MembershipRecord[] {
  resolveProject(store, actorId, { projectId });
  assertCan(projectRulesOf(store, actorId), 'read', 'identity');
  return [...store.memberships.values()];
}

/** PATCH: replace the roles. @internal */
export function updateMembership(
  store: VaultStore,
  actorId: string,
  projectId: string,
  identityId: string,
  roles: readonly RoleInput[],
): MembershipRecord {
  resolveProject(store, actorId, { projectId });
  assertCan(projectRulesOf(store, actorId), 'edit', 'identity', { identityId });
  const membership = store.memberships.get(identityId);
  if (!membership) throw badRequest("Identity doesn't have membership");
  membership.roles = buildRoles(store, roles);
  membership.updatedAt = store.clock.iso();
  return membership;
}

/** DELETE: the membership and the identity's additional privileges in the project. @internal */
export function deleteMembership(store: VaultStore, actorId: string, projectId: string, identityId: string): MembershipRecord {
  resolveProject(store, actorId, { projectId });
  assertCan(projectRulesOf(store, actorId), 'delete', 'identity', { identityId });
  const membership = store.memberships.get(identityId);
  if (!membership) throw badRequest("Identity doesn't have membership");
  store.memberships.delete(identityId);
  for (const [id, p] of store.privileges) if (p.identityId === identityId) store.privileges.delete(id);
  return membership;
}
