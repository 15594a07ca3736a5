import { badRequest, notFound } from '../errors.js';
import { joinPath, normalizePath } from './paths.js';
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

/**
 * GET /api/v1/folders: direct children (or the whole subtree) sorted by name; a missing path
 * lists nothing. There is no folder permission check: any project member may list any folder.
 * @internal
 */
// backend/src/services/secret-folder/secret-folder-service.ts: getFolders ("folder list is allowed to be read by anyone")
export function listFolders(store: VaultStore, actorId: string, ref: FolderRef & { recursive: boolean }): FolderRecord[] {
  resolveProject(store, actorId, { projectId: ref.projectId });
  const path = normalizePath(ref.path);
  if (!findEnvironment(store, ref.environment)) throw notFound(`Environment with slug '${ref.environment}' not found`);
  const parent = findFolder(store, ref.environment, path);
  if (!parent) return [];
  const prefix = path === '/' ? '/' : `${path}/`;
  return [...store.folders.values()]
    .filter(
      (f) => f.envSlug === ref.environment && f.path !== '/' && (ref.recursive ? f.path.startsWith(prefix) : f.parentId === parent.id),
    )
    .sort((a, b) => (ref.recursive ? a.path.localeCompare(b.path) : a.name.localeCompare(b.name)));
}

/** Remove a folder with its subfolders and their secrets (no permission check). @internal */
export function removeFolderTree(store: VaultStore, folder: FolderRecord): void {
  const inside = (p: string) => p === folder.path || p.startsWith(`${folder.path}/`);
  for (const [key, f] of store.folders) if (f.envSlug === folder.envSlug && inside(f.path)) store.folders.delete(key);
  for (const [key, s] of store.secrets) if (s.envSlug === folder.envSlug && inside(s.path)) store.secrets.delete(key);
}

/**
 * DELETE /api/v1/folders/{folderIdOrName}: delete permission on the parent path (403) →
 * environment (404) → parent folder (404) → the child by name, else by id (404); the folder
 * goes with its subfolders and their secrets.
 * @internal
 */
// backend/src/services/secret-folder/secret-folder-service.ts: deleteFolder
export function deleteFolder(store: VaultStore, actorId: string, ref: FolderRef & { idOrName: string }): FolderRecord {
  resolveProject(store, actorId, { projectId: ref.projectId });
  const path = normalizePath(ref.path);
  assertCan(projectRulesOf(store, actorId), 'delete', 'secret-folders', { environment: ref.environment, secretPath: path });
  if (!findEnvironment(store, ref.environment)) throw notFound(`Environment with slug '${ref.environment}' not found`);
  const parent = findFolder(store, ref.environment, path);
  if (!parent) throw notFound(`Folder with path '${path}' in environment with slug '${ref.environment}' not found`);
  const children = [...store.folders.values()].filter((f) => f.envSlug === ref.environment && f.parentId === parent.id);
  const folder = children.find((f) => f.name === ref.idOrName) ?? children.find((f) => f.id === ref.idOrName);
  if (!folder) throw notFound(`Folder with ID '${ref.idOrName}' not found`);
  removeFolderTree(store, folder);
  return folder;
}
