import { VaultProxyError } from '../errors.js';
import type { SecretRef, UniversalAuthCredentials } from '../infisical/index.js';
import { answerOf, type CallAnswer, createInfisicalClient, type InfisicalClient } from '../infisical/index.js';
import { createProxy } from '../proxy/index.js';
import { SecretValue } from '../secret-value.js';
import type { ResolvedVaultConnection } from './connection-options.js';
import {
  type DiscoveryInput,
  findInScopeProbe,
  findOutOfScopeProbe,
  findWriteFolder,
  freshWriteKey,
  type InScopeProbe,
  type OutOfScopeProbe,
} from './probe-discovery.js';
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
  /** `pass`, `fail`, or `skipped` (nothing to probe, e.g. no folder outside the scope exists). */
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
  /** The admin's direct client (to find probes, and to clean up a write that should have failed). */
  readonly admin: InfisicalClient;
  readonly connection: ResolvedVaultConnection;
  readonly environment: string;
  readonly scope: string;
  /** The identity under test. */
  readonly credentials: UniversalAuthCredentials;
  readonly probes: ResolvedProbes;
}

/** Where the checks probe, found before the identity is tried. */
interface Plan {
  readonly probe: InScopeProbe | undefined;
  readonly outside: OutOfScopeProbe;
  readonly writeFolder: string | undefined;
}

/** `folder/KEY` for messages. */
function at(folder: string, key: string): string {
  return `${folder === '/' ? '' : folder}/${key}`;
}

/** Words for an answer; no answer through a proxy the caller named is failure mode A, and said so. */
function seen(got: CallAnswer, givenProxy: string | undefined): string {
  if (got.status !== undefined) return `${got.status}${got.note ? ` ${got.note}` : ''}`;
  if (givenProxy !== undefined && got.networkCode !== undefined) {
    return `no answer from the proxy at ${givenProxy} (${got.networkCode}): is it running? Runbook failure mode A (docs/runbook.md §Failure mode A): start it with \`vault-proxy start\``;
  }
  return `no vault answer${got.note ? ` (${got.note})` : ''}`;
}

function check(name: VerifyCheckName, expected: number, got: CallAnswer, what: string, givenProxy: string | undefined): VerifyCheck {
  const outcome = got.status === expected ? 'pass' : 'fail';
  return { name, expected, actual: got.status, outcome, detail: `${what}: expected ${expected}, got ${seen(got, givenProxy)}` };
}

const failed = (name: VerifyCheckName, expected: number, detail: string): VerifyCheck => ({
  name,
  expected,
  actual: undefined,
  outcome: 'fail',
  detail,
});

async function planProbes(input: VerifyInput): Promise<Plan> {
  const discovery: DiscoveryInput = {
    admin: input.admin,
    workspaceId: input.connection.projectId,
    environment: input.environment,
    scope: input.scope,
    probes: input.probes,
  };
  const probe = await findInScopeProbe(discovery);
  return { probe, outside: await findOutOfScopeProbe(discovery), writeFolder: await findWriteFolder(discovery, probe) };
}

/** The three checks after a login, each against a folder that exists. */
async function accessChecks(input: VerifyInput, plan: Plan, identity: InfisicalClient, givenProxy: string | undefined) {
  const location = { workspaceId: input.connection.projectId, environment: input.environment };
  const checks: VerifyCheck[] = [];
  if (!plan.probe) {
    checks.push(failed('in-scope-read', 200, `no secret found in ${input.scope} (${input.environment}); pass --probe-key/--probe-path`));
  } else {
    const ref: SecretRef = { ...location, secretPath: plan.probe.path, secretKey: plan.probe.key };
    const what = `read ${at(plan.probe.path, plan.probe.key)}`;
    checks.push(check('in-scope-read', 200, await answerOf(() => identity.getSecret(ref)), what, givenProxy));
  }
  const outside = plan.outside;
  if (outside.kind === 'none') {
    const detail = `skipped: no out-of-scope folder exists in ${input.environment}`;
    checks.push({ name: 'out-of-scope-read', expected: 403, actual: undefined, outcome: 'skipped', detail });
  } else if (outside.kind === 'missing') {
    const detail = `folder ${outside.path} does not exist in ${input.environment}: pass --out-of-scope-path naming a folder that exists outside ${input.scope}`;
    checks.push(failed('out-of-scope-read', 403, detail));
  } else {
    const ref: SecretRef = { ...location, secretPath: outside.path, secretKey: outside.key };
    checks.push(
      check('out-of-scope-read', 403, await answerOf(() => identity.getSecret(ref)), `read ${at(outside.path, outside.key)}`, givenProxy),
    );
  }
  checks.push(await writeCheck(input, plan.writeFolder, identity, givenProxy));
  return checks;
}

/**
 * The write probe: a fresh key in an existing folder in scope, so nothing but the missing
 * permission can refuse it (403). A write that succeeds is deleted at once and fails loudly.
 */
async function writeCheck(input: VerifyInput, folder: string | undefined, identity: InfisicalClient, givenProxy: string | undefined) {
  if (folder === undefined)
    return failed('write', 403, `not run: no folder of ${input.scope} exists in ${input.environment} to write into`);
  const ref: SecretRef = {
    workspaceId: input.connection.projectId,
    environment: input.environment,
    secretPath: folder,
    secretKey: freshWriteKey(),
  };
  const what = `write ${at(folder, ref.secretKey)} (a fresh key)`;
  const write = await answerOf(() => identity.createSecret({ ...ref, secretValue: new SecretValue('canary, delete me') }));
  const result = check('write', 403, write, what, givenProxy);
  if (write.status !== 200) return result;
  const removed = await answerOf(() => input.admin.deleteSecret(ref));
  const cleanup =
    removed.status === 200
      ? 'THE IDENTITY CAN WRITE; the canary was deleted at once'
      : `THE IDENTITY CAN WRITE, and the canary could NOT be deleted (${seen(removed, undefined)}): delete ${at(folder, ref.secretKey)} now`;
  return { ...result, detail: `${result.detail}: ${cleanup}` };
}

/**
 * Runbook Step 10 through the proxy (one started in-process on an ephemeral
 * loopback port unless `probes.proxyUrl` is given): log in as the identity
 * (200), read in scope (200), read out of scope (403), write (403).
 * @internal
 */
export async function runVerifyChecks(input: VerifyInput): Promise<VerifyResult> {
  const plan = await planProbes(input);
  const givenProxy = input.probes.proxyUrl;
  const proxy = givenProxy ? undefined : createProxy(input.connection.proxy, {});
  const proxyUrl = givenProxy ?? (await (proxy as NonNullable<typeof proxy>).listen()).url;
  const identity = createInfisicalClient({ proxyUrl, retries: 1, retryDelayMs: 50 });
  const checks: VerifyCheck[] = [];
  try {
    const login = await answerOf(() => identity.authenticate(input.credentials));
    checks.push(check('login', 200, login, 'log in as the identity', givenProxy));
    if (login.status === 200) checks.push(...(await accessChecks(input, plan, identity, givenProxy)));
    else
      for (const [name, expected] of [
        ['in-scope-read', 200],
        ['out-of-scope-read', 403],
        ['write', 403],
      ] as const) {
        checks.push(failed(name, expected, 'not run (login failed)'));
      }
  } finally {
    identity.close();
    await proxy?.close();
  }
  return { ok: checks.every((c) => c.outcome !== 'fail'), proxyUrl, checks };
}

/** `VERIFY_FAILED` listing the failed checks (statuses only). @internal */
export function verifyFailed(result: VerifyResult): VaultProxyError {
  const failures = result.checks.filter((c) => c.outcome === 'fail');
  // Every 403 probe names an existing folder (and the write a fresh key), so a 200 or 404 there is the identity's doing.
  const tooMuch = failures.some((c) => c.expected === 403 && (c.actual === 200 || c.actual === 404));
  return new VaultProxyError(
    'VERIFY_FAILED',
    `Verification through the proxy failed: ${failures.map((c) => c.detail).join('; ')}.${
      tooMuch
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
