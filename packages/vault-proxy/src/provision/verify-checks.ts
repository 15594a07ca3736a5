import { VaultProxyError } from '../errors.js';
import type { SecretRef, UniversalAuthCredentials } from '../infisical/index.js';
import { answerOf, type CallAnswer, createInfisicalClient, type InfisicalClient } from '../infisical/index.js';
import { createProxy } from '../proxy/index.js';
import { SecretValue } from '../secret-value.js';
import type { ResolvedVaultConnection } from './connection-options.js';
import { pathSegments, scopeMatches } from './guardrails.js';
import type { ResolvedProbes } from './probe-options.js';
import type { StepOutcome } from './provision-run.js';

/** The four checks of runbook Step 10. */
export type VerifyCheckName = 'login' | 'in-scope-read' | 'out-of-scope-read' | 'write';

/** One check: what was expected, what came back. Never holds a secret. */
export interface VerifyCheck {
  readonly name: VerifyCheckName;
  /** Expected HTTP status (200 or 403). */
  readonly expected: number;
  /** Status that came back; `undefined` when there was no answer or the check did not run. */
  readonly actual: number | undefined;
  /** `pass`, `fail`, or `skipped` (nothing to probe, e.g. a scope covering every path). */
  readonly outcome: 'pass' | 'fail' | 'skipped';
  /** What was probed and what happened. */
  readonly detail: string;
}

/** The result of verifying an identity through the proxy. */
export interface VerifyResult {
  /** Whether no check failed. */
  readonly ok: boolean;
  /** The proxy the checks went through. */
  readonly proxyUrl: string;
  readonly checks: readonly VerifyCheck[];
}

/** @internal */
export interface VerifyInput {
  /** The admin's direct client (to find a probe secret, and to clean up a write that should have failed). */
  readonly admin: InfisicalClient;
  readonly connection: ResolvedVaultConnection;
  readonly environment: string;
  readonly scope: string;
  /** The identity under test. */
  readonly credentials: UniversalAuthCredentials;
  readonly probes: ResolvedProbes;
}

const OUT_OF_SCOPE_KEY = 'VAULT_PROVISION_PROBE';
const WRITE_KEY = 'CANARY_DELETE_TEST';

/** `folder/KEY` for messages. */
function at(folder: string, key: string): string {
  return `${folder === '/' ? '' : folder}/${key}`;
}

/** The scope's literal folder prefix: `/MooseQuest/app/**` → `/MooseQuest/app`. */
function literalBase(scope: string): string {
  const segments = pathSegments(scope);
  const firstGlob = segments.findIndex((s) => /[*?]/.test(s));
  return `/${(firstGlob === -1 ? segments : segments.slice(0, firstGlob)).join('/')}`;
}

async function findProbe(input: VerifyInput): Promise<{ key: string; path: string } | undefined> {
  const { probeKey, probePath } = input.probes;
  if (probeKey !== undefined) return { key: probeKey, path: probePath ?? literalBase(input.scope) };
  const base = literalBase(input.scope);
  const secrets = await input.admin.listSecrets({
    workspaceId: input.connection.projectId,
    environment: input.environment,
    secretPath: base,
    recursive: true,
  });
  const hit = secrets.find((s) => scopeMatches(input.scope, s.secretPath ?? base));
  return hit ? { key: hit.secretKey, path: hit.secretPath ?? base } : undefined;
}

function outOfScopePath(input: VerifyInput): string | undefined {
  if (input.probes.outOfScopePath !== undefined) return input.probes.outOfScopePath;
  return ['/MooseQuest/cloudflare', '/'].find((p) => !scopeMatches(input.scope, p));
}

/** A secret that exists in `path` (so a 200 is a real leak, not a 404), else a made-up key. */
async function existingKey(input: VerifyInput, path: string): Promise<string> {
  const location = { workspaceId: input.connection.projectId, environment: input.environment };
  const secrets = await input.admin.listSecrets({ ...location, secretPath: path }).catch(() => []);
  return secrets[0]?.secretKey ?? OUT_OF_SCOPE_KEY;
}

function check(name: VerifyCheckName, expected: number, got: CallAnswer, what: string): VerifyCheck {
  const outcome = got.status === expected ? 'pass' : 'fail';
  const seen =
    got.status === undefined ? `no vault answer${got.note ? ` (${got.note})` : ''}` : `${got.status}${got.note ? ` ${got.note}` : ''}`;
  return { name, expected, actual: got.status, outcome, detail: `${what}: expected ${expected}, got ${seen}` };
}

/**
 * Runbook Step 10 through the proxy (one started in-process on an ephemeral
 * loopback port unless `probes.proxyUrl` is given): log in as the identity
 * (200), read in scope (200), read out of scope (403), write (403).
 * @internal
 */
export async function runVerifyChecks(input: VerifyInput): Promise<VerifyResult> {
  const probe = await findProbe(input);
  const outside = outOfScopePath(input);
  const proxy = input.probes.proxyUrl ? undefined : createProxy(input.connection.proxy, {});
  const proxyUrl = input.probes.proxyUrl ?? (await (proxy as NonNullable<typeof proxy>).listen()).url;
  const identity = createInfisicalClient({ proxyUrl, retries: 1, retryDelayMs: 50 });
  const location = { workspaceId: input.connection.projectId, environment: input.environment };
  const checks: VerifyCheck[] = [];
  try {
    const login = await answerOf(() => identity.authenticate(input.credentials));
    checks.push(check('login', 200, login, 'log in as the identity'));
    const loggedIn = login.status === 200;
    const notRun = (name: VerifyCheckName, expected: number, what: string): VerifyCheck => ({
      name,
      expected,
      actual: undefined,
      outcome: 'fail',
      detail: `${what}: not run (${loggedIn ? 'no probe' : 'login failed'})`,
    });
    if (!probe) {
      checks.push({
        name: 'in-scope-read',
        expected: 200,
        actual: undefined,
        outcome: 'fail',
        detail: `no secret found in ${input.scope}; pass --probe-key/--probe-path`,
      });
    } else if (!loggedIn) {
      checks.push(notRun('in-scope-read', 200, `read ${at(probe.path, probe.key)}`));
    } else {
      const ref: SecretRef = { ...location, secretPath: probe.path, secretKey: probe.key };
      checks.push(check('in-scope-read', 200, await answerOf(() => identity.getSecret(ref)), `read ${at(probe.path, probe.key)}`));
    }
    if (outside === undefined) {
      checks.push({
        name: 'out-of-scope-read',
        expected: 403,
        actual: undefined,
        outcome: 'skipped',
        detail: `${input.scope} covers every path`,
      });
    } else if (!loggedIn) {
      checks.push(notRun('out-of-scope-read', 403, `read ${outside}`));
    } else {
      const key = await existingKey(input, outside);
      const ref: SecretRef = { ...location, secretPath: outside, secretKey: key };
      checks.push(check('out-of-scope-read', 403, await answerOf(() => identity.getSecret(ref)), `read ${at(outside, key)}`));
    }
    const writePath = probe?.path ?? literalBase(input.scope);
    const writeRef: SecretRef = { ...location, secretPath: writePath, secretKey: WRITE_KEY };
    if (!loggedIn) {
      checks.push(notRun('write', 403, `write ${at(writePath, WRITE_KEY)}`));
    } else {
      const write = await answerOf(() => identity.createSecret({ ...writeRef, secretValue: new SecretValue('canary, delete me') }));
      // A write that should have been refused succeeded: remove the canary so the check leaves nothing behind.
      if (write.status === 200) await input.admin.deleteSecret(writeRef).catch(() => undefined);
      checks.push(check('write', 403, write, `write ${at(writePath, WRITE_KEY)}`));
    }
  } finally {
    identity.close();
    await proxy?.close();
  }
  return { ok: checks.every((c) => c.outcome !== 'fail'), proxyUrl, checks };
}

/** `VERIFY_FAILED` listing the failed checks (statuses only). @internal */
export function verifyFailed(result: VerifyResult): VaultProxyError {
  const failed = result.checks.filter((c) => c.outcome === 'fail');
  return new VaultProxyError(
    'VERIFY_FAILED',
    `Verification through the proxy failed: ${failed.map((c) => c.detail).join('; ')}.${
      failed.some((c) => c.expected === 403 && (c.actual === 200 || c.actual === 404))
        ? ' A 200 or 404 where 403 was expected means the identity can do more than read its scope: fix its privileges before use.'
        : ''
    }`,
    { details: { checks: result.checks.map(({ name, expected, actual, outcome }) => ({ name, expected, actual, outcome })) } },
  );
}

/** The verify step's outcome: `done`, one word per check, or `VERIFY_FAILED` thrown. @internal */
export function verifyOutcome(result: VerifyResult): StepOutcome<VerifyResult> {
  if (!result.ok) throw verifyFailed(result);
  return { status: 'done', detail: result.checks.map((c) => `${c.name} ${c.actual ?? c.outcome}`).join(', '), value: result };
}
