import { VaultProxyError } from '../errors.js';

/**
 * Pure checks run before the first call, so bad input changes nothing.
 * Messages name the field, never its value.
 */

/** @internal */
export function refuse(field: string, problem: string, hint: string): VaultProxyError {
  // `source: 'option'` with the problem apart: a CLI names the flag the user typed (see @raxx/cli-kit).
  return new VaultProxyError('PROVISION_REFUSED', `option \`${field}\` ${problem}. ${hint}`, {
    details: { field, source: 'option', problem, hint },
  });
}

const FOLDER_NAME = /^[a-zA-Z0-9_-]+$/;
const GLOB_SEGMENT = /^[a-zA-Z0-9_.*?-]+$/;

/** Infisical's slug rule: lowercase letters and digits separated by single hyphens, 1–60 chars. */
export function isValidSlug(slug: string): boolean {
  return slug.length >= 1 && slug.length <= 60 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug);
}

/** Check an identity name (it is also the default credentials folder name). @internal */
export function checkIdentityName(name: string | undefined, field = 'identityName'): string {
  const value = name?.trim() ?? '';
  if (value === '') throw refuse(field, 'is required', 'Name the machine identity, e.g. infisical-identity-mcp-<agent>.');
  if (value.length > 128 || !FOLDER_NAME.test(value)) {
    throw refuse(field, 'may hold only letters, digits, `-` and `_` (at most 128)', 'It also names the credentials folder.');
  }
  return value;
}

/** Check an agent name and return it. @internal */
export function checkAgentName(name: string | undefined, field = 'agentName'): string {
  const value = name?.trim() ?? '';
  if (value === '') throw refuse(field, 'is required', 'It prefixes the stored keys <AGENT>_CLIENT_ID and <AGENT>_CLIENT_SECRET.');
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(value)) {
    throw refuse(field, 'must start with a letter and hold only letters, digits, `-` and `_` (at most 64)', 'For example mcp-ro.');
  }
  return value;
}

/** Check a literal folder path (no glob) and return it normalised (no trailing slash). @internal */
export function checkFolderPath(path: string | undefined, field: string, allowRoot = false): string {
  const value = path?.trim() ?? '';
  if (!value.startsWith('/')) throw refuse(field, 'must be an absolute folder path', 'Start it with `/`.');
  const normalised = value.length > 1 ? value.replace(/\/$/, '') : value;
  if (normalised === '/' && !allowRoot) throw refuse(field, 'must not be the vault root', 'Name a folder.');
  if (pathSegments(normalised).some((p) => !FOLDER_NAME.test(p))) {
    throw refuse(field, 'has an empty or invalid folder name', 'Folder names hold only letters, digits, `-` and `_`.');
  }
  return normalised;
}

/** Check a secret key name. @internal */
export function checkSecretKey(key: string | undefined, field: string): string {
  const value = key?.trim() ?? '';
  if (value === '' || /[:/\s]/.test(value)) throw refuse(field, 'must be a secret name without `:`, `/` or spaces', 'Fix the name.');
  return value;
}

/** The result of checking a scope glob. */
export interface ScopeCheck {
  /** The glob, normalised (no trailing slash). */
  readonly scope: string;
  /** Whether it is broad (the vault root, or a glob at or above the configured root). */
  readonly broad: boolean;
  /** Whether it lies inside the configured root. */
  readonly insideRoot: boolean;
}

/** The path segments of a scope or folder path (`/` → none). @internal */
export function pathSegments(path: string): string[] {
  return path === '/' ? [] : path.replace(/^\/|\/$/g, '').split('/');
}

function isGlobSegment(segment: string): boolean {
  return /[*?]/.test(segment);
}

/**
 * Check the scope (`secretPath` glob) against the configured root: refused
 * when malformed; refused when broad (`/`, `/*`, `/**`, `<root>/**`, any glob
 * starting at or above the root) or outside the root, unless `allowBroad`.
 * Only `*`, `**` and `?` are accepted as glob syntax, so containment is
 * decidable. @internal
 */
export function checkScope(scope: string | undefined, root: string, allowBroad: boolean, field = 'scope'): ScopeCheck {
  const raw = scope?.trim() ?? '';
  if (raw === '') throw refuse(field, 'is required', 'Pass the narrowest secretPath glob the agent needs, e.g. /MooseQuest/<app>/**.');
  if (!raw.startsWith('/')) throw refuse(field, 'must start with `/`', 'Use an absolute secretPath glob.');
  const normalised = raw.length > 1 ? raw.replace(/\/$/, '') : raw;
  const segments = pathSegments(normalised);
  for (const s of segments) {
    if (!GLOB_SEGMENT.test(s) || s === '.' || s === '..') {
      throw refuse(field, 'has an empty, relative or unsupported path segment', 'Use folder names and only `*`, `**` or `?` as globs.');
    }
    if (s.includes('**') && s !== '**') throw refuse(field, 'uses `**` inside a segment', 'Write `**` as a whole segment, e.g. /a/**.');
  }
  const firstGlob = segments.findIndex(isGlobSegment);
  const literal = firstGlob === -1 ? segments : segments.slice(0, firstGlob);
  const rootSegments = pathSegments(root);
  const insideRoot = rootSegments.every((s, i) => literal[i] === s) && literal.length >= rootSegments.length;
  const broad = segments.length === 0 || (firstGlob !== -1 && literal.length <= rootSegments.length);
  const wholeVault = segments.length === 0 || literal.length === 0;
  if (!allowBroad && wholeVault) {
    throw refuse(field, 'covers the whole vault', 'Narrow it to what the agent needs (runbook: avoid /**), or pass --allow-broad.');
  }
  if (!allowBroad && !insideRoot) {
    throw refuse(
      field,
      `lies outside the configured root ${root}`,
      `Pick a path inside ${root}, set another root with --root, or pass --allow-broad if you really mean it.`,
    );
  }
  if (!allowBroad && broad) {
    throw refuse(
      field,
      'is too broad (the vault root, or a glob over the whole root)',
      'Narrow it to what the agent needs, or pass --allow-broad.',
    );
  }
  return { scope: normalised, broad, insideRoot };
}

/** Only `read` is ever granted; anything else is refused, `allowBroad` or not. @internal */
export function checkActions(actions: readonly string[] | undefined, field = 'actions'): readonly ['read'] {
  const list = actions ?? ['read'];
  if (list.length !== 1 || list[0] !== 'read') {
    throw refuse(field, 'may only be `read`', 'Agent identities are read-only: no write, create, edit or delete actions (runbook RULES).');
  }
  return ['read'];
}

/** Whether a folder path matches a scope glob (`**` = any number of segments, `*`/`?` within one segment). */
export function scopeMatches(scope: string, folderPath: string): boolean {
  const pattern = pathSegments(scope);
  const path = pathSegments(folderPath.length > 1 ? folderPath.replace(/\/$/, '') : folderPath);
  const segmentRe = (p: string) =>
    new RegExp(
      `^${p
        .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')}$`,
    );
  const match = (pi: number, si: number): boolean => {
    if (pi === pattern.length) return si === path.length;
    const p = pattern[pi] as string;
    if (p === '**') {
      for (let k = si; k <= path.length; k++) if (match(pi + 1, k)) return true;
      return false;
    }
    return si < path.length && segmentRe(p).test(path[si] as string) && match(pi + 1, si + 1);
  };
  return match(0, 0);
}
