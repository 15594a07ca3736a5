/**
 * Infisical's path normalisation for `secretPath` / folder `path`: a leading `/`, no trailing `/`,
 * no empty segments. `'/MooseQuest/'` and `'MooseQuest'` both become `'/MooseQuest'`.
 * @internal
 */
export function normalizePath(path: string | undefined): string {
  const segments = (path ?? '/').split('/').filter((s) => s.length > 0);
  return `/${segments.join('/')}`;
}

/** The parent of a normalised path (`'/'` for top-level folders). @internal */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Join a normalised parent and a folder name. @internal */
export function joinPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}
