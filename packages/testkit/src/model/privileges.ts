import { badRequest, notFound } from '../errors.js';
import { assertCan, type PermissionRule, projectRulesOf } from './permissions.js';
import { resolveProject } from './projects.js';
import { randomHex, uuid } from './random.js';
import type { PrivilegeRecord, VaultStore } from './store.js';
import { temporaryAccess } from './temporary-access.js';

/** The `type` of a privilege request. @internal */
export interface PrivilegeType {
  isTemporary: boolean;
  temporaryMode?: string;
  temporaryRange?: string;
  temporaryAccessStartTime?: string;
}

const TEMPORARY_MESSAGE = 'Temporary mode expects start time and range';

function assertNoLegacyMix(permissions: readonly PermissionRule[]): void {
  for (const rule of permissions) {
    if (
      rule.subject === 'secrets' &&
      rule.action.includes('read') &&
      rule.action.some((a) => a === 'readValue' || a === 'describeSecret')
    ) {
      throw badRequest(
        'You have selected Read, and both Read Value and Describe Secret. The Read permission is a legacy action which has been replaced by Describe Secret and Read Value.',
      );
    }
  }
}

// backend/src/services/additional-privilege/project/project-additional-privilege-factory.ts: non-member target → 400
/** The target's project membership; its absence is the factory guard's 400, which answers before the service's own 404. */
function membershipOf(store: VaultStore, identityId: string) {
  const membership = store.memberships.get(identityId);
  if (!membership) throw badRequest("Actor doesn't have membership");
  return membership;
}

/** Add a privilege without a permission check (seeding); a non-member is a 400. @internal */
export function addPrivilege(
  store: VaultStore,
  identityId: string,
  input: { slug?: string | undefined; permissions: PermissionRule[]; type: PrivilegeType },
): PrivilegeRecord {
  const membership = membershipOf(store, identityId);
  const slug = input.slug ?? randomHex(4);
  for (const p of store.privileges.values()) {
    if (p.identityId === identityId && p.slug === slug) throw badRequest(`Additional privilege with name ${slug} exists`);
  }
  assertNoLegacyMix(input.permissions);
  const now = store.clock.iso();
  const privilege: PrivilegeRecord = {
    id: uuid(),
    identityId,
    projectId: store.project.id,
    membershipId: membership.id,
    slug,
    permissions: input.permissions,
    ...temporaryAccess(input.type, TEMPORARY_MESSAGE),
    createdAt: now,
    updatedAt: now,
  };
  store.privileges.set(privilege.id, privilege);
  return privilege;
}

/** POST /api/v2/identity-project-additional-privilege. @internal */
export function createPrivilege(
  store: VaultStore,
  actorId: string,
  input: { identityId: string; projectId: string; slug?: string | undefined; permissions: PermissionRule[]; type: PrivilegeType },
): PrivilegeRecord {
  resolveProject(store, actorId, { projectId: input.projectId });
  assertCan(projectRulesOf(store, actorId), 'edit', 'identity', { identityId: input.identityId });
  return addPrivilege(store, input.identityId, input);
}

function byId(store: VaultStore, actorId: string, id: string, action: string): PrivilegeRecord {
  const privilege = store.privileges.get(id);
  if (!privilege) throw notFound(`Additional privilege with id ${id} doesn't exist`);
  resolveProject(store, actorId, { projectId: privilege.projectId });
  assertCan(projectRulesOf(store, actorId), action, 'identity', { identityId: privilege.identityId });
  return privilege;
}

/** @internal */
export const getPrivilege = (store: VaultStore, actorId: string, id: string) => byId(store, actorId, id, 'read');

/**
 * GET /slug/{slug}?identityId=&projectSlug= (the project only by slug; the handler answers 422
 * without it): a target that is not a project member is 400, a member without the slug 404.
 * @internal
 */
// backend/src/ee/routes/v2/identity-project-additional-privilege-router.ts: GET /slug/:privilegeSlug reads projectSlug
export function getPrivilegeBySlug(
  store: VaultStore,
  actorId: string,
  input: { slug: string; identityId: string; projectSlug: string },
): PrivilegeRecord {
  const project = resolveProject(store, actorId, { projectSlug: input.projectSlug });
  assertCan(projectRulesOf(store, actorId), 'read', 'identity', { identityId: input.identityId });
  membershipOf(store, input.identityId);
  const privilege = [...store.privileges.values()].find(
    (p) => p.identityId === input.identityId && p.projectId === project.id && p.slug === input.slug,
  );
  if (!privilege) throw notFound(`Additional privilege with name ${input.slug} doesn't exist`);
  return privilege;
}

/** GET /?identityId=&projectId=. @internal */
export function listPrivilegesOf(store: VaultStore, actorId: string, identityId: string, projectId: string): PrivilegeRecord[] {
  resolveProject(store, actorId, { projectId });
  assertCan(projectRulesOf(store, actorId), 'read', 'identity', { identityId });
  return [...store.privileges.values()].filter((p) => p.identityId === identityId && p.projectId === projectId);
}

/** PATCH /{id}. @internal */
export function updatePrivilege(
  store: VaultStore,
  actorId: string,
  id: string,
  patch: { slug?: string | undefined; permissions?: PermissionRule[] | undefined; type?: PrivilegeType | undefined },
): PrivilegeRecord {
  const privilege = byId(store, actorId, id, 'edit');
  if (patch.slug !== undefined && patch.slug !== privilege.slug) {
    for (const p of store.privileges.values()) {
      if (p.identityId === privilege.identityId && p.slug === patch.slug)
        throw badRequest(`Additional privilege with name ${patch.slug} exists`);
    }
    privilege.slug = patch.slug;
  }
  if (patch.permissions) {
    assertNoLegacyMix(patch.permissions);
    privilege.permissions = patch.permissions;
  }
  if (patch.type) Object.assign(privilege, temporaryAccess(patch.type, TEMPORARY_MESSAGE));
  privilege.updatedAt = store.clock.iso();
  return privilege;
}

/** DELETE /{id}. @internal */
export function deletePrivilege(store: VaultStore, actorId: string, id: string): PrivilegeRecord {
  const privilege = byId(store, actorId, id, 'edit');
  store.privileges.delete(id);
  return privilege;
}
