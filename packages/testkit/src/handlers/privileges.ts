import type { HttpHandler } from 'msw';
import {
  createPrivilege,
  deletePrivilege,
  getPrivilege,
  getPrivilegeBySlug,
  listPrivilegesOf,
  type PrivilegeType,
  updatePrivilege,
} from '../model/privileges.js';
import { behaviourOf } from '../model/server-profile.js';
import type { PrivilegeRecord } from '../model/store.js';
import { readPermissions } from './permission-schema.js';
import { type HandlerContext, route } from './route.js';
import type { FieldReader } from './validation.js';

const listView = (p: PrivilegeRecord) => ({
  id: p.id,
  slug: p.slug,
  isTemporary: p.isTemporary,
  temporaryMode: p.temporaryMode,
  temporaryRange: p.temporaryRange,
  temporaryAccessStartTime: p.temporaryAccessStartTime,
  temporaryAccessEndTime: p.temporaryAccessEndTime,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

/** The sanitized privilege (no membership id), permissions unpacked. @internal */
export const privilegeView = (p: PrivilegeRecord) => ({ ...listView(p), permissions: structuredClone(p.permissions) });

function readSlug(b: FieldReader, required: boolean): string | undefined {
  const raw = b.raw('slug');
  if (raw === undefined) {
    if (required) b.addIssue('slug', 'Required', 'invalid_type', { expected: 'string', received: 'undefined' });
    return undefined;
  }
  const slug = b.optStr('slug');
  if (slug === undefined) return undefined;
  if (slug.length < 1) b.addIssue('slug', 'Slug field must be at least 1 lowercase character');
  else if (slug.length > 60) b.addIssue('slug', 'Slug field must be at most 60 lowercase characters');
  else if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug))
    b.addIssue('slug', 'Slug field can only contain lowercase letters, numbers, and hyphens');
  return slug;
}

function readType(b: FieldReader, required: boolean): PrivilegeType | undefined {
  const raw = b.raw('type');
  if (raw === undefined) {
    if (required) b.addIssue('type', 'Required', 'invalid_type', { expected: 'object', received: 'undefined' });
    return undefined;
  }
  const t = (raw ?? {}) as Record<string, unknown>;
  if (typeof t.isTemporary !== 'boolean') {
    b.addIssue(['type', 'isTemporary'], 'Invalid discriminator value. Expected false | true', 'invalid_union_discriminator');
    return undefined;
  }
  const str = (k: string) => (typeof t[k] === 'string' ? (t[k] as string) : undefined);
  return {
    isTemporary: t.isTemporary,
    ...(str('temporaryMode') ? { temporaryMode: str('temporaryMode') } : {}),
    ...(str('temporaryRange') ? { temporaryRange: str('temporaryRange') } : {}),
    ...(str('temporaryAccessStartTime') ? { temporaryAccessStartTime: str('temporaryAccessStartTime') } : {}),
  } as PrivilegeType;
}

/** Identity additional privileges (v2, current). @internal */
export function privilegeHandlers(ctx: HandlerContext): HttpHandler[] {
  const { store } = ctx;
  // backend/src/ee/routes/v2/index.ts: builds that predate the v2 routes answer Fastify's 404 (the fallback handler)
  if (!store.server.v2PrivilegeRoutes) return [];
  const { secretActions } = behaviourOf(store.server.profile);
  const base = '/api/v2/identity-project-additional-privilege';
  return [
    route(ctx, 'post', base, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const identityId = b.str('identityId', { min: 1 });
      const projectId = b.str('projectId', { min: 1 });
      const slug = readSlug(b, false);
      const permissions = readPermissions(b, true, secretActions) ?? [];
      const type = readType(b, true);
      b.check();
      const privilege = createPrivilege(store, actor.identityId, { identityId, projectId, slug, permissions, type: type as PrivilegeType });
      return { privilege: privilegeView(privilege) };
    }),
    route(ctx, 'get', `${base}/slug/:privilegeSlug`, (req) => {
      const actor = req.actor();
      const q = req.query;
      const identityId = q.str('identityId', { min: 1 });
      // Only the slug names the project here: a `projectId` is an unknown key, ignored, and leaves projectSlug missing (422).
      const projectSlug = q.str('projectSlug', { min: 1 });
      q.check();
      return {
        privilege: privilegeView(
          getPrivilegeBySlug(store, actor.identityId, { slug: req.params.privilegeSlug ?? '', identityId, projectSlug }),
        ),
      };
    }),
    route(ctx, 'get', base, (req) => {
      const actor = req.actor();
      const identityId = req.query.str('identityId', { min: 1 });
      const projectId = req.query.str('projectId', { min: 1 });
      req.query.check();
      return { privileges: listPrivilegesOf(store, actor.identityId, identityId, projectId).map(listView) };
    }),
    route(ctx, 'get', `${base}/:id`, (req) => ({
      privilege: privilegeView(getPrivilege(store, req.actor().identityId, req.params.id ?? '')),
    })),
    route(ctx, 'patch', `${base}/:id`, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const slug = readSlug(b, false);
      const permissions = readPermissions(b, false, secretActions);
      const type = readType(b, false);
      b.check();
      return { privilege: privilegeView(updatePrivilege(store, actor.identityId, req.params.id ?? '', { slug, permissions, type })) };
    }),
    route(ctx, 'delete', `${base}/:id`, (req) => ({
      privilege: privilegeView(deletePrivilege(store, req.actor().identityId, req.params.id ?? '')),
    })),
  ];
}
