import type { HttpHandler } from 'msw';
import { authMethodsOf, createIdentity, deleteIdentity, getIdentity, listIdentities, updateIdentity } from '../model/identities.js';
import { behaviourOf } from '../model/server-profile.js';
import type { IdentityRecord, VaultStore } from '../model/store.js';
import { isLockedOut } from '../model/universal-auth.js';
import { type HandlerContext, route } from './route.js';
import type { FieldReader } from './validation.js';

/** The identity row (create / delete responses). @internal */
export const identityRowView = (store: VaultStore, i: IdentityRecord) => ({
  id: i.id,
  name: i.name,
  authMethod: null,
  createdAt: i.createdAt,
  updatedAt: i.updatedAt,
  hasDeleteProtection: i.hasDeleteProtection,
  orgId: i.orgId,
  projectId: null,
  authMethods: authMethodsOf(store, i.id),
  metadata: i.metadata,
});

/** The org-membership shape of GET and list: the identity itself is nested under `identity`. @internal */
export const identityMembershipView = (store: VaultStore, i: IdentityRecord) => ({
  id: i.orgMembershipId,
  role: i.orgRole,
  roleId: null,
  orgId: i.orgId,
  createdAt: i.createdAt,
  updatedAt: i.updatedAt,
  identityId: i.id,
  metadata: i.metadata,
  identity: {
    id: i.id,
    name: i.name,
    hasDeleteProtection: i.hasDeleteProtection,
    orgId: i.orgId,
    authMethods: authMethodsOf(store, i.id),
    activeLockoutAuthMethods: isLockedOut(store, i.id) ? ['universal-auth'] : [],
  },
});

function readMetadata(b: FieldReader): Array<{ key: string; value: string }> {
  const raw = b.raw('metadata');
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    b.addIssue('metadata', 'Expected array', 'invalid_type', { expected: 'array' });
    return [];
  }
  return raw.flatMap((m, i) => {
    const { key, value } = (m ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || key.length === 0 || typeof value !== 'string' || value.length === 0) {
      b.addIssue(['metadata', i], 'Metadata needs a non-empty key and value');
      return [];
    }
    return [{ key, value }];
  });
}

function page<T>(items: T[], offset: number, limit: number) {
  return items.slice(offset, offset + limit);
}

/** Org-level machine identities: create, get, update, delete, and the three list shapes. @internal */
export function identityHandlers(ctx: HandlerContext): HttpHandler[] {
  const { store } = ctx;
  return [
    route(ctx, 'post', '/api/v1/identities', async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const input = {
        name: b.str('name'),
        organizationId: b.str('organizationId'),
        role: b.str('role', { min: 1, default: 'no-access' }),
        hasDeleteProtection: b.bool('hasDeleteProtection', false),
        metadata: readMetadata(b),
      };
      b.check();
      return { identity: identityRowView(store, createIdentity(store, actor.identityId, input)) };
    }),
    route(ctx, 'post', '/api/v1/identities/search', async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const limit = b.num('limit', { int: true, min: 1, max: 100, default: 50 });
      const offset = b.num('offset', { int: true, min: 0, default: 0 });
      const search = (b.raw('search') ?? {}) as { name?: unknown };
      b.check();
      const byName = (name: string) => {
        const cond = search.name;
        if (cond === undefined) return true;
        if (typeof cond === 'string') return name === cond;
        const c = cond as { $eq?: string; $contains?: string; $in?: string[] };
        return (
          (c.$eq === undefined || name === c.$eq) &&
          (c.$contains === undefined || name.toLowerCase().includes(c.$contains.toLowerCase())) &&
          (c.$in === undefined || c.$in.includes(name))
        );
      };
      const all = listIdentities(store, actor.identityId, store.org.id).filter((i) => byName(i.name));
      return { identities: page(all, offset, limit).map((i) => identityMembershipView(store, i)), totalCount: all.length };
    }),
    route(ctx, 'get', '/api/v1/identities', (req) => {
      const actor = req.actor();
      const orgId = req.query.str('orgId');
      req.query.check();
      const all = listIdentities(store, actor.identityId, orgId);
      return { identities: all.map((i) => identityMembershipView(store, i)), totalCount: all.length };
    }),
    route(ctx, 'get', '/api/v1/identities/:identityId', (req) => ({
      identity: identityMembershipView(store, getIdentity(store, req.actor().identityId, req.params.identityId ?? '')),
    })),
    route(ctx, 'patch', '/api/v1/identities/:identityId', async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const patch = {
        name: b.optStr('name'),
        role: b.optStr('role', { min: 1 }),
        hasDeleteProtection: b.raw('hasDeleteProtection') === undefined ? undefined : b.bool('hasDeleteProtection', false),
      };
      b.check();
      return { identity: identityRowView(store, updateIdentity(store, actor.identityId, req.params.identityId ?? '', patch)) };
    }),
    route(ctx, 'delete', '/api/v1/identities/:identityId', (req) => {
      const {
        metadata: _metadata,
        authMethods: _authMethods,
        ...row
      } = identityRowView(store, deleteIdentity(store, req.actor().identityId, req.params.identityId ?? ''));
      return { identity: row };
    }),
    route(ctx, 'get', '/api/v2/organizations/:orgId/identity-memberships', (req) => {
      const actor = req.actor();
      const q = req.query;
      const offset = q.num('offset', { int: true, min: 0, default: 0 });
      const limit = q.num('limit', { int: true, min: 1, max: 20000, default: 100 });
      const direction = q.str('orderDirection', {
        default: 'asc',
        pattern: /^(asc|desc)$/,
        patternMessage: "Invalid enum value. Expected 'asc' | 'desc'",
      });
      // backend/src/server/routes/v2/identity-org-router.ts: the name filter is `search` (older builds: `textFilter`);
      // the other key is unknown to that build and ignored.
      const search = q.optStr(behaviourOf(store.server.profile).identityNameFilter);
      q.check();
      let all = listIdentities(store, actor.identityId, req.params.orgId ?? '');
      if (search) all = all.filter((i) => i.name.toLowerCase().includes(search.toLowerCase()));
      if (direction === 'desc') all.reverse();
      return { identityMemberships: page(all, offset, limit).map((i) => identityMembershipView(store, i)), totalCount: all.length };
    }),
  ];
}
