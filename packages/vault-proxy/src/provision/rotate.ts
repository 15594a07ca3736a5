import { isVaultProxyError, VaultProxyError } from '../errors.js';
import { isRotationDue, type RotationManifestEntry, readRotationManifest } from '../identity/rotation-manifest.js';
import { createInfisicalClient, type InfisicalClient } from '../infisical/index.js';
import type { Env } from '../settings/env.js';
import { type ResolvedVaultConnection, resolveVaultConnection, type VaultConnectionOptions } from './connection-options.js';
import type { IdentityTarget } from './identity-target.js';
import { resolveIdentityTarget } from './identity-target.js';
import { manifestStep } from './manifest-step.js';
import { checkInteger, type ProvisionCommonOptions } from './onboard-options.js';
import { ProvisionRun, type StepOutcome } from './provision-run.js';
import { issueStoreProve, revokeOtherSecrets } from './secret-issuance.js';
import { signIn } from './sign-in.js';
import { credentialRef, identityRunResult, need, type StepContext } from './step-context.js';
import { type IdentityRunResult, ROTATE_STEPS, type StepListener, type StepReport } from './step-report.js';

/** Options of {@link rotateClientSecret}. */
export interface RotateOptions extends ProvisionCommonOptions {
  /** Rotation manifest whose entry for the identity is updated (added if missing). Default: none. */
  manifest?: string;
  /** Interval recorded for a new manifest entry. Default: the entry's, else `30`. */
  rotationIntervalDays?: number;
}

/** What a rotation did (ids only). */
export interface RotateResult extends IdentityRunResult {
  /** Id of the new, stored and proven client secret. */
  readonly clientSecretId: string;
}

async function rotateSecretStep(ctx: StepContext): Promise<StepOutcome> {
  const identityId = need(ctx.state.identityId, 'identity');
  const clientId = need(ctx.state.clientId, 'client id');
  const secretRef = credentialRef(ctx, ctx.target.clientSecretKey);
  // Nothing stored (the runbook's pending operator action) is fine: the new secret is stored as the first version.
  const previous = await ctx.client.findSecret(secretRef);
  const description = `${ctx.target.environment} ${ctx.now().toISOString().slice(0, 10)} rotation (vault-provision)`;
  const issued = await issueStoreProve(ctx.client, { identityId, clientId, secretRef }, { description, previous });
  ctx.state.currentClientSecretId = issued.clientSecretData.id;
  ctx.state.currentClientSecretIssuedAt = issued.clientSecretData.createdAt || ctx.now().toISOString();
  return {
    status: 'done',
    detail: `issued client secret ${issued.clientSecretData.id}, stored as ${ctx.target.credsPath}/${ctx.target.clientSecretKey} v${issued.version}, login proved`,
  };
}

async function revokeOldStep(ctx: StepContext): Promise<StepOutcome> {
  const keep = new Set([need(ctx.state.currentClientSecretId, 'new client secret')]);
  try {
    const revoked = await revokeOtherSecrets(ctx.client, need(ctx.state.identityId, 'identity'), keep);
    return revoked === 0
      ? { status: 'already-done', detail: 'no other client secret was active' }
      : { status: 'done', detail: `revoked ${revoked} previous client secret(s)` };
  } catch (error) {
    const why = isVaultProxyError(error) ? error.message : 'unexpected failure';
    throw new VaultProxyError(
      'PROVISION_STEP_FAILED',
      `The new client secret is stored and works, but revoking the old one(s) failed (${why}). Rerun \`vault-provision onboard\` or \`rotate\` to revoke them.`,
      { cause: isVaultProxyError(error) ? error : undefined },
    );
  }
}

/** The rotation steps after the identity is known; shared by {@link rotateClientSecret} and {@link rotateDue}. */
async function rotateAfterLookup(ctx: StepContext, manifest: string | undefined, intervalDays: number | undefined): Promise<void> {
  await ctx.run.step('rotate-secret', () => rotateSecretStep(ctx));
  await ctx.run.step('revoke-old', () => revokeOldStep(ctx));
  await ctx.run.step('manifest', () => manifestStep(ctx, manifest, intervalDays));
}

/**
 * Rotate an identity's client secret: issue a new one, store it (a new
 * version), prove a login with it, and only then revoke the old one(s).
 * If storing or proving fails the new secret is revoked and the previous
 * stored value written back, so a working stored secret exists at every
 * moment. Also completes the runbook's pending operator action (a secret
 * issued but never stored): that orphan is revoked in the last step.
 */
export async function rotateClientSecret(options: RotateOptions, env: Env = process.env): Promise<RotateResult> {
  const target = resolveIdentityTarget(options);
  const intervalDays =
    options.rotationIntervalDays === undefined
      ? undefined
      : checkInteger(options.rotationIntervalDays, 'rotationIntervalDays', 30, 1, 3650);
  const connection = resolveVaultConnection(options, env);
  const client = createInfisicalClient(connection.client);
  const run = new ProvisionRun('apply', ROTATE_STEPS, options.onStep);
  const ctx: StepContext = { run, client, connection, target, state: {}, now: options.now ?? (() => new Date()) };
  try {
    await signIn(ctx);
    await rotateAfterLookup(ctx, options.manifest, intervalDays);
  } finally {
    client.close();
  }
  return { ...identityRunResult(ctx), clientSecretId: need(ctx.state.currentClientSecretId, 'client secret') };
}

/** Options of {@link rotateDue}. */
export interface RotateDueOptions extends VaultConnectionOptions {
  /** The rotation manifest. Required. */
  manifest: string;
  /** Called with each step's report (with `identity` set). */
  onStep?: StepListener;
  /** Clock deciding what is due. Default `() => new Date()`. */
  now?: () => Date;
}

/** One manifest entry's outcome. */
export interface RotateDueEntry {
  readonly identityName: string;
  /** `rotated`, `not-due`, or `failed` (see `error`). */
  readonly outcome: 'rotated' | 'not-due' | 'failed';
  /** When the entry is (or was) due, ISO-8601. */
  readonly dueAt: string;
  readonly steps: readonly StepReport[];
  readonly error?: VaultProxyError;
}

/** What {@link rotateDue} did; `ok` is false when any entry failed. */
export interface RotateDueResult {
  readonly ok: boolean;
  readonly entries: readonly RotateDueEntry[];
}

function targetOf(entry: RotationManifestEntry): IdentityTarget {
  return {
    identityName: entry.identityName,
    agentName: entry.clientSecretKey.replace(/_CLIENT_SECRET$/, ''),
    environment: entry.environment,
    root: '/',
    credsPath: entry.credsPath,
    clientIdKey: entry.clientIdKey,
    clientSecretKey: entry.clientSecretKey,
    slug: '',
  };
}

async function rotateEntry(
  client: InfisicalClient,
  connection: ResolvedVaultConnection,
  entry: RotationManifestEntry,
  options: RotateDueOptions,
) {
  const listener = options.onStep;
  const run = new ProvisionRun('apply', ROTATE_STEPS, listener ? (r) => listener({ ...r, identity: entry.identityName }) : undefined);
  const ctx: StepContext = {
    run,
    client,
    connection: { ...connection, projectId: entry.projectId },
    target: targetOf(entry),
    state: {},
    now: options.now ?? (() => new Date()),
  };
  try {
    await signIn(ctx, { expected: { identityId: entry.identityId, clientId: entry.clientId } });
    await rotateAfterLookup(ctx, options.manifest, undefined);
    return { steps: run.reports, error: undefined };
  } catch (error) {
    return {
      steps: run.reports,
      error: isVaultProxyError(error) ? error : new VaultProxyError('PROVISION_STEP_FAILED', 'unexpected failure'),
    };
  }
}

/**
 * `rotate --due`: rotate every manifest entry whose interval has passed,
 * updating its entry after each success. A failed entry does not stop the
 * others; `ok` tells whether all due entries rotated.
 */
export async function rotateDue(options: RotateDueOptions, env: Env = process.env): Promise<RotateDueResult> {
  const manifest = await readRotationManifest(options.manifest);
  const connection = resolveVaultConnection(options, env);
  const now = (options.now ?? (() => new Date()))();
  const client = createInfisicalClient(connection.client);
  const entries: RotateDueEntry[] = [];
  try {
    for (const entry of manifest.identities) {
      const dueAt = new Date(Date.parse(entry.lastRotatedAt) + entry.rotationIntervalDays * 86_400_000).toISOString();
      if (!isRotationDue(entry, now)) {
        entries.push({ identityName: entry.identityName, outcome: 'not-due', dueAt, steps: [] });
        continue;
      }
      const { steps, error } = await rotateEntry(client, connection, entry, options);
      entries.push({ identityName: entry.identityName, outcome: error ? 'failed' : 'rotated', dueAt, steps, ...(error ? { error } : {}) });
    }
  } finally {
    client.close();
  }
  return { ok: entries.every((e) => e.outcome !== 'failed'), entries };
}
