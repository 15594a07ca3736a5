import type { HttpHandler } from 'msw';
import { createFolder, deleteFolder, listFolders } from '../model/folders.js';
import type { FolderRecord } from '../model/store.js';
import { type HandlerContext, route } from './route.js';
import type { FieldReader } from './validation.js';

/** @internal */
export const folderView = (f: FolderRecord) => ({
  id: f.id,
  name: f.name,
  version: f.version,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
  envId: f.envId,
  parentId: f.parentId,
  isReserved: false,
  description: f.description,
  lastSecretModified: null,
});

const FOLDER_NAME = /^[a-zA-Z0-9-_]+$/;

// v1 names the project `workspaceId`, v2 `projectId`; `directory` is the legacy alias of `path`.
function readLocation(r: FieldReader, projectKey: string) {
  const projectId = r.str(projectKey);
  const environment = r.str('environment');
  const path = r.optStr('path') ?? r.optStr('directory') ?? '/';
  return { projectId, environment, path };
}

/** Folders: list (missing path → []) and create (mkdir -p; existing → 400), delete. v1 and v2 routes. @internal */
export function folderHandlers(ctx: HandlerContext): HttpHandler[] {
  const { store } = ctx;
  return (['v1', 'v2'] as const).flatMap((v) => {
    const projectKey = v === 'v1' ? 'workspaceId' : 'projectId';
    return [
      route(ctx, 'get', `/api/${v}/folders`, (req) => {
        const actor = req.actor();
        const loc = readLocation(req.query, projectKey);
        const recursive = req.query.bool('recursive', false);
        req.query.check();
        return {
          folders: listFolders(store, actor.identityId, { ...loc, recursive }).map((f) => ({
            ...folderView(f),
            ...(recursive ? { relativePath: f.path } : {}),
          })),
        };
      }),
      route(ctx, 'post', `/api/${v}/folders`, async (req) => {
        const actor = req.actor();
        const b = await req.body();
        const loc = readLocation(b, projectKey);
        const name = b.str('name', {
          pattern: FOLDER_NAME,
          patternMessage: 'Invalid folder name. Only alphanumeric characters, dashes, and underscores are allowed.',
        });
        const description = b.optStr('description') ?? null;
        b.check();
        const folder = createFolder(store, actor.identityId, { ...loc, name, description });
        return { folder: { ...folderView(folder), path: folder.path } };
      }),
      route(ctx, 'delete', `/api/${v}/folders/:folderIdOrName`, async (req) => {
        const actor = req.actor();
        const b = await req.body();
        const loc = readLocation(b, projectKey);
        b.check();
        return { folder: folderView(deleteFolder(store, actor.identityId, { ...loc, idOrName: req.params.folderIdOrName ?? '' })) };
      }),
    ];
  });
}
