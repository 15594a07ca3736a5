import type { HttpHandler } from 'msw';
import { notFound } from '../errors.js';
import { createEnvironment, listProjects, resolveProject } from '../model/projects.js';
import type { EnvironmentRecord, ProjectRecord } from '../model/store.js';
import { type HandlerContext, route } from './route.js';

/** The sanitized project with its environments; `orgId` is top-level. @internal */
export const projectView = (p: ProjectRecord) => ({
  id: p.id,
  _id: p.id,
  name: p.name,
  slug: p.slug,
  description: null,
  type: 'secret-manager',
  defaultProduct: 'secret-manager',
  // backend/src/services/secret/secret-service.ts reads project.enforceCapitalization; older builds named the column
  // autoCapitalization. Both carry the one setting that refuses lower-case names on create (secret-writes.ts).
  autoCapitalization: p.enforceCapitalization,
  enforceCapitalization: p.enforceCapitalization,
  orgId: p.orgId,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
  version: 3,
  upgradeStatus: null,
  pitVersionLimit: 10,
  kmsCertificateKeyId: null,
  auditLogsRetentionDays: null,
  hasDeleteProtection: false,
  secretSharing: true,
  showSnapshotsLegacy: false,
  secretDetectionIgnoreValues: p.secretDetectionIgnoreValues,
  environments: p.environments.map((e) => ({ id: e.id, name: e.name, slug: e.slug })),
});

const environmentView = (p: ProjectRecord, e: EnvironmentRecord) => ({
  id: e.id,
  name: e.name,
  slug: e.slug,
  position: e.position,
  projectId: p.id,
});

/** Projects (deprecated `/workspace` and current `/projects` routes) and environments. @internal */
export function projectHandlers(ctx: HandlerContext): HttpHandler[] {
  const { store } = ctx;
  return [
    route(ctx, 'get', '/api/v1/workspace', (req) => ({ workspaces: listProjects(store, req.actor().identityId).map(projectView) })),
    route(ctx, 'get', '/api/v1/projects', (req) => ({ projects: listProjects(store, req.actor().identityId).map(projectView) })),
    route(ctx, 'get', '/api/v1/workspace/:workspaceId', (req) => ({
      workspace: projectView(resolveProject(store, req.actor().identityId, { projectId: req.params.workspaceId })),
    })),
    route(ctx, 'get', '/api/v1/projects/slug/:slug', (req) => ({
      project: projectView(resolveProject(store, req.actor().identityId, { projectSlug: req.params.slug })),
    })),
    route(ctx, 'get', '/api/v1/projects/:projectId', (req) => ({
      project: projectView(resolveProject(store, req.actor().identityId, { projectId: req.params.projectId })),
    })),
    route(ctx, 'get', '/api/v1/workspace/:workspaceId/environments/:envId', (req) => {
      const project = resolveProject(store, req.actor().identityId, { projectId: req.params.workspaceId });
      const env = project.environments.find((e) => e.id === req.params.envId);
      if (!env) throw notFound(`Environment with id '${req.params.envId}' in project with ID '${project.id}' not found`);
      return { environment: environmentView(project, env) };
    }),
    route(ctx, 'post', '/api/v1/workspace/:workspaceId/environments', async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const name = b.str('name', { min: 1 });
      const slug = b.str('slug', { min: 1, pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, patternMessage: 'Invalid slug' });
      b.check();
      const env = createEnvironment(store, actor.identityId, req.params.workspaceId ?? '', name, slug);
      return {
        message: 'Successfully created new environment',
        workspace: projectView(store.project),
        environment: environmentView(store.project, env),
      };
    }),
  ];
}
