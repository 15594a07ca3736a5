import { badRequest, forbidden, notFound } from '../errors.js';
import { assertCan, projectRulesOf } from './permissions.js';
import { uuid } from './random.js';
import type { EnvironmentRecord, FolderRecord, ProjectRecord, VaultStore } from './store.js';
import { folderKey } from './store.js';

/** How a request names its project: by id (`workspaceId`/`projectId`) or by slug. @internal */
export interface ProjectRef {
  projectId?: string | undefined;
  projectSlug?: string | undefined;
}

/** The project a request names, if the caller is a member; 404 unknown, 403 not a member. @internal */
export function resolveProject(store: VaultStore, actorId: string, ref: ProjectRef): ProjectRecord {
  const { project } = store;
  const matches = ref.projectId !== undefined ? ref.projectId === project.id : ref.projectSlug === project.slug;
  if (!matches) {
    throw notFound(
      ref.projectId !== undefined ? `Project with ID '${ref.projectId}' not found` : `Project with slug '${ref.projectSlug}' not found`,
    );
  }
  // backend/src/ee/services/permission/permission-service.ts: no project membership → 403 ProjectMembershipNotFound
  if (!store.memberships.has(actorId)) {
    throw forbidden(
      `You are not a member of this project with ID ${project.id}. Please assign this identity to the project with the appropriate permissions, then try again.`,
      'ProjectMembershipNotFound',
    );
  }
  return project;
}

/** Projects the caller is a member of. @internal */
export function listProjects(store: VaultStore, actorId: string): ProjectRecord[] {
  return store.memberships.has(actorId) ? [store.project] : [];
}

/** @internal */
export function findEnvironment(store: VaultStore, slug: string): EnvironmentRecord | undefined {
  return store.project.environments.find((e) => e.slug === slug);
}

/** The root folder (`/`) of an environment. @internal */
export function rootFolderOf(store: VaultStore, env: EnvironmentRecord): FolderRecord {
  const key = folderKey(env.slug, '/');
  const existing = store.folders.get(key);
  if (existing) return existing;
  const now = store.clock.iso();
  const root: FolderRecord = {
    id: uuid(),
    name: 'root',
    envId: env.id,
    envSlug: env.slug,
    parentId: null,
    path: '/',
    version: 1,
    description: null,
    createdAt: now,
    updatedAt: now,
  };
  store.folders.set(key, root);
  return root;
}

/** Add an environment without a permission check (seeding). @internal */
export function addEnvironment(store: VaultStore, name: string, slug: string): EnvironmentRecord {
  const env: EnvironmentRecord = { id: uuid(), name, slug, position: store.project.environments.length + 1 };
  store.project.environments.push(env);
  rootFolderOf(store, env);
  return env;
}

/** POST /api/v1/workspace/{id}/environments. @internal */
export function createEnvironment(store: VaultStore, actorId: string, projectId: string, name: string, slug: string): EnvironmentRecord {
  resolveProject(store, actorId, { projectId });
  assertCan(projectRulesOf(store, actorId), 'create', 'environments');
  if (findEnvironment(store, slug)) throw badRequest('Environment with slug already exists');
  return addEnvironment(store, name, slug);
}
