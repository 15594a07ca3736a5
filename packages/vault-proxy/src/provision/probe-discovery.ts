import type { InfisicalClient } from '../infisical/index.js';
import { randomHex } from '../random-hex.js';
import { pathSegments, scopeMatches } from './guardrails.js';
import type { ResolvedProbes } from './probe-options.js';

/**
 * Where Step 10's checks probe, found by the admin before the identity is
 * tried, so every probe names a folder that exists. Infisical looks a folder
 * up before it checks permission: a read or write in a folder that does not
 * exist answers 404 whoever asks, which says nothing about the identity.
 */

/** What discovery needs: the admin's direct client and the folders in question. @internal */
export interface DiscoveryInput {
  readonly admin: InfisicalClient;
  readonly workspaceId: string;
  readonly environment: string;
  readonly scope: string;
  readonly probes: ResolvedProbes;
}

/** A secret to read in scope. @internal */
export interface InScopeProbe {
  readonly key: string;
  readonly path: string;
}

/** The folder to read out of scope: found (it exists), asked for but missing, or none at all. @internal */
export type OutOfScopeProbe =
  | { readonly kind: 'found'; readonly path: string; readonly key: string }
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'none' };

/** The runbook's out-of-scope probe, used when it exists and lies outside the scope. */
const RUNBOOK_OUTSIDE = '/MooseQuest/cloudflare';
/** A key no one stores: in an existing folder out of scope the answer is 403 whether it exists or not. */
const MADE_UP_KEY = 'VAULT_PROVISION_PROBE';
/** Folder listings spent looking for an out-of-scope folder before settling for the root. */
const MAX_LISTINGS = 40;

/** The scope's literal folder prefix: `/MooseQuest/app/**` → `/MooseQuest/app`. @internal */
export function literalBase(scope: string): string {
  const segments = pathSegments(scope);
  const firstGlob = segments.findIndex((s) => /[*?]/.test(s));
  return `/${(firstGlob === -1 ? segments : segments.slice(0, firstGlob)).join('/')}`;
}

const join = (parent: string, name: string) => (parent === '/' ? `/${name}` : `${parent}/${name}`);

/**
 * The secret to read in scope: the one asked for, else the first the admin
 * finds under the scope; `undefined` when there is none, the scope's folder
 * missing included (current servers answer that listing 404).
 * @internal
 */
export async function findInScopeProbe(input: DiscoveryInput): Promise<InScopeProbe | undefined> {
  const { probeKey, probePath } = input.probes;
  const base = literalBase(input.scope);
  if (probeKey !== undefined) return { key: probeKey, path: probePath ?? base };
  const location = { workspaceId: input.workspaceId, environment: input.environment };
  const secrets = await input.admin.findSecretsIn({ ...location, secretPath: base, recursive: true });
  const hit = secrets?.find((s) => scopeMatches(input.scope, s.secretPath ?? base));
  return hit ? { key: hit.secretKey, path: hit.secretPath ?? base } : undefined;
}

/** Breadth first from the root: the first existing folder the scope does not cover (folder listing is open to members). */
async function searchOutside(input: DiscoveryInput): Promise<string | undefined> {
  const location = { workspaceId: input.workspaceId, environment: input.environment };
  const queue = ['/'];
  for (let listings = 0; queue.length > 0 && listings < MAX_LISTINGS; listings++) {
    const parent = queue.shift() as string;
    for (const folder of await input.admin.listFolders({ ...location, path: parent })) {
      const path = join(parent, folder.name);
      if (!scopeMatches(input.scope, path)) return path;
      queue.push(path);
    }
  }
  // The root always exists; it is the probe of last resort when the scope leaves it out.
  return scopeMatches(input.scope, '/') ? undefined : '/';
}

/**
 * The folder to read out of scope, and a key in it: the one asked for (if it
 * exists), else the runbook's `/MooseQuest/cloudflare` (if it exists and lies
 * outside the scope), else any existing folder outside the scope. A key the
 * folder holds is preferred, so a 200 is a real leak.
 * @internal
 */
export async function findOutOfScopeProbe(input: DiscoveryInput): Promise<OutOfScopeProbe> {
  const location = { workspaceId: input.workspaceId, environment: input.environment };
  const asked = input.probes.outOfScopePath;
  let path: string | undefined;
  if (asked !== undefined) {
    if (!(await input.admin.folderExists({ ...location, path: asked }))) return { kind: 'missing', path: asked };
    path = asked;
  } else if (!scopeMatches(input.scope, RUNBOOK_OUTSIDE) && (await input.admin.folderExists({ ...location, path: RUNBOOK_OUTSIDE }))) {
    path = RUNBOOK_OUTSIDE;
  } else {
    path = await searchOutside(input);
  }
  if (path === undefined) return { kind: 'none' };
  const secrets = await input.admin.findSecretsIn({ ...location, secretPath: path });
  return { kind: 'found', path, key: secrets?.[0]?.secretKey ?? MADE_UP_KEY };
}

/**
 * An existing folder in scope to try the write in: the in-scope probe's
 * folder, else the scope's literal base; `undefined` when neither exists.
 * @internal
 */
export async function findWriteFolder(input: DiscoveryInput, probe: InScopeProbe | undefined): Promise<string | undefined> {
  const location = { workspaceId: input.workspaceId, environment: input.environment };
  for (const path of [probe?.path, literalBase(input.scope)]) {
    if (path !== undefined && scopeMatches(input.scope, path) && (await input.admin.folderExists({ ...location, path }))) return path;
  }
  return undefined;
}

/** A key no earlier run can have left behind (upper case, as a project enforcing capitalisation demands). @internal */
export function freshWriteKey(): string {
  return `CANARY_DELETE_TEST_${randomHex(4).toUpperCase()}`;
}
