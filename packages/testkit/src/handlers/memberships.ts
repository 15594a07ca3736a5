import type { HttpHandler } from 'msw';
import { authMethodsOf } from '../model/identities.js';
import {
  createMembership,
  deleteMembership,
  getMembership,
  listMemberships,
  type RoleInput,
  updateMembership,
} from '../model/memberships.js';
import type { MembershipRecord, MembershipRoleRecord, VaultStore } from '../model/store.js';
import { type HandlerContext, route } from './route.js';
import type { FieldReader } from './validation.js';

const shortView = (m: MembershipRecord) => ({
  id: m.id,
  projectId: m.projectId,
  identityId: m.identityId,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

const roleView = (r: MembershipRoleRecord) => ({
  id: r.id,
  role: r.role,
  customRoleId: null,
  customRoleName: null,
  customRoleSlug: null,
  isTemporary: r.isTemporary,
  temporaryMode: r.temporaryMode,
  temporaryRange: r.temporaryRange,
  temporaryAccessStartTime: r.temporaryAccessStartTime,
  temporaryAccessEndTime: r.temporaryAccessEndTime,
});

/** @internal */
export const membershipView = (store: VaultStore, m: MembershipRecord) => {
  const identity = store.identities.get(m.identityId);
  return {
    id: m.id,
    identityId: m.identityId,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    roles: m.roles.map(roleView),
    identity: { id: m.identityId, name: identity?.name ?? '', authMethods: authMethodsOf(store, m.identityId) },
    project: { id: store.project.id, name: store.project.name },
  };
};

function readRoles(b: FieldReader, required: boolean): RoleInput[] {
  const raw = b.raw('roles');
  if (raw === undefined) {
    if (required) b.addIssue('roles', 'Required', 'invalid_type', { expected: 'array', received: 'undefined' });
    return [{ role: b.str('role', { min: 1, default: 'no-access' }) }];
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    b.addIssue('roles', 'Array must contain at least 1 element(s)', 'too_small', { minimum: 1, type: 'array' });
    return [];
  }
  return raw.map((item, i) => {
    const r = (item ?? {}) as Record<string, unknown>;
    if (typeof r.role !== 'string' || r.role.trim() === '')
      b.addIssue(['roles', i, 'role'], 'Required', 'invalid_type', { expected: 'string' });
    return {
      role: typeof r.role === 'string' ? r.role.trim() : '',
      isTemporary: r.isTemporary === true,
      temporaryMode: typeof r.temporaryMode === 'string' ? r.temporaryMode : undefined,
      temporaryRange: typeof r.temporaryRange === 'string' ? r.temporaryRange : undefined,
      temporaryAccessStartTime: typeof r.temporaryAccessStartTime === 'string' ? r.temporaryAccessStartTime : undefined,
    } as RoleInput;
  });
}

/** Project identity memberships (the deprecated-but-mounted `/api/v2/workspace` routes). @internal */
export function membershipHandlers(ctx: HandlerContext): HttpHandler[] {
  const { store } = ctx;
  const one = '/api/v2/workspace/:projectId/identity-memberships/:identityId';
  return [
    route(ctx, 'post', one, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const roles = readRoles(b, false);
      b.check();
      const m = createMembership(store, actor.identityId, req.params.projectId ?? '', req.params.identityId ?? '', roles);
      return { identityMembership: shortView(m) };
    }),
    route(ctx, 'get', one, (req) => ({
      identityMembership: membershipView(
        store,
        getMembership(store, req.actor().identityId, req.params.projectId ?? '', req.params.identityId ?? ''),
      ),
    })),
    route(ctx, 'patch', one, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const roles = readRoles(b, true);
      b.check();
      const m = updateMembership(store, actor.identityId, req.params.projectId ?? '', req.params.identityId ?? '', roles);
      return { roles: m.roles.map(roleView) };
    }),
    route(ctx, 'delete', one, (req) => ({
      identityMembership: shortView(
        deleteMembership(store, req.actor().identityId, req.params.projectId ?? '', req.params.identityId ?? ''),
      ),
    })),
    route(ctx, 'get', '/api/v2/workspace/:projectId/identity-memberships', (req) => {
      const all = listMemberships(store, req.actor().identityId, req.params.projectId ?? '');
      return { identityMemberships: all.map((m) => membershipView(store, m)), totalCount: all.length };
    }),
  ];
}
