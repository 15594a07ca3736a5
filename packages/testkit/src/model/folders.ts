import { badRequest, notFound } from '../errors.js';
import { joinPath, normalizePath, parentPath } from './paths.js';
import { assertCan, projectRulesOf } from './permissions.js';
import { findEnvironment, resolveProject, rootFolderOf } from './projects.js';
import { uuid } from './random.js';
import type { FolderRecord, VaultStore } from './store.js';
import { folderKey } from './store.js';

/** A folder location: project, environment slug, normalised path. @internal */
export interface FolderRef {
  projectId: string;
  environment: string;
  path: string;
}

/** Create every missing folder along `path` (no permission check). @internal */
export function ensureFolder(store: VaultStore, envSlug: string, path: string): FolderRecord {
  const env = findEnvironment(store, envSlug);
  if (!env) throw notFound(`Environment with slug '${envSlug}' in project with ID '${store.project.id}' not found`);
  let parent = rootFolderOf(store, env);
  for (const name of normalizePath(path).split('/').filter(Boolean)) {
    const childPath = joinPath(parent.path, name);
    const key = folderKey(envSlug, childPath);
    let child = store.folders.get(key);
    if (!child) {
      const now = store.clock.iso();
      child = {
        id: uuid(),
        name,
        envId: env.id,
        envSlug,
        parentId: parent.id,
        path: childPath,
        version: 1,
        description: null,
        createdAt: now,
        updatedAt: now,
      };
      store.folders.set(key, child);
    }
    parent = child;
  }
  return parent;
}

/** @internal */
export function findFolder(store: VaultStore, envSlug: string, path: string): FolderRecord | undefined {
  return store.folders.get(folderKey(envSlug, normalizePath(path)));
}

/** POST /api/v1/folders: mkdir -p, but the folder itself must be new (400 otherwise). @internal */
export function createFolder(
  store: VaultStore,
  actorId: string,
  ref: FolderRef & { name: string; description: string | null },
): FolderRecord {
  const project = resolveProject(store, actorId, { projectId: ref.projectId });
  const path = normalizePath(ref.path);
  assertCan(projectRulesOf(store, actorId), 'create', 'secret-folders', { environment: ref.environment, secretPath: path });
  if (!findEnvironment(store, ref.environment)) {
    throw notFound(`Environment with slug '${ref.environment}' in project with ID '${project.id}' not found`);
  }
  const target = joinPath(path, ref.name);
  if (store.folders.has(folderKey(ref.environment, target))) {
    throw badRequest(`Folder with name '${ref.name}' already exists in path '${path}'`);
  }
  const folder = ensureFolder(store, ref.environment, target);
  folder.description = ref.description;
  return folder;
}

/** GET /api/v1/folders: direct children (or the whole subtree) sorted by name; a missing path lists nothing. @internal */
export function listFolders(store: VaultStore, actorId: string, ref: FolderRef & { recursive: boolean }): FolderRecord[] {
  resolveProject(store, actorId, { projectId: ref.projectId });
  const path = normalizePath(ref.path);
  if (!findEnvironment(store, ref.environment)) throw notFound(`Environment with slug '${ref.environment}' not found`);
  assertCan(projectRulesOf(store, actorId), 'read', 'secret-folders', { environment: ref.environment, secretPath: path });
  const parent = findFolder(store, ref.environment, path);
  if (!parent) return [];
  const prefix = path === '/' ? '/' : `${path}/`;
  return [...store.folders.values()]
    .filter(
      (f) => f.envSlug === ref.environment && f.path !== '/' && (ref.recursive ? f.path.startsWith(prefix) : f.parentId === parent.id),
    )
    .sort((a, b) => (ref.recursive ? a.path.localeCompare(b.path) : a.name.localeCompare(b.name)));
}

/** DELETE /api/v1/folders/{idOrName}: removes the folder, its subfolders and their secrets. @internal */
export function deleteFolder(store: VaultStore, actorId: string, ref: FolderRef & { idOrName: string }): FolderRecord {
  resolveProject(store, actorId, { projectId: ref.projectId });
  const path = normalizePath(ref.path);
  assertCan(projectRulesOf(store, actorId), 'delete', 'secret-folders', { environment: ref.environment, secretPath: path });
  const folder = [...store.folders.values()].find(
    (f) =>
      f.envSlug === ref.environment && parentPath(f.path) === path && f.path !== '/' && (f.id === ref.idOrName || f.name === ref.idOrName),
  );
  if (!folder) throw notFound(`Folder with path '${path}' in environment with slug '${ref.environment}' not found`);
  const inside = (p: string) => p === folder.path || p.startsWith(`${folder.path}/`);
  for (const [key, f] of store.folders) if (f.envSlug === ref.environment && inside(f.path)) store.folders.delete(key);
  for (const [key, s] of store.secrets) if (s.envSlug === ref.environment && inside(s.path)) store.secrets.delete(key);
  return folder;
}
