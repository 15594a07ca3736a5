import { createInfisicalClient } from '../infisical/index.js';
import type { Env } from '../settings/env.js';
import { membershipStep, privilegeStep } from './access-steps.js';
import { clientSecretStep, credsFolderStep, storeClientIdStep } from './credential-steps.js';
import { manifestStep } from './manifest-step.js';
import { type OnboardOptions, type ResolvedOnboardOptions, resolveOnboardOptions } from './onboard-options.js';
import { ProvisionRun, type RunMode, type StepOutcome } from './provision-run.js';
import { signIn } from './sign-in.js';
import { credentialRef, need, type StepContext } from './step-context.js';
import { ONBOARD_STEPS, type StepReport } from './step-report.js';
import { runVerifyChecks, type VerifyResult, verifyOutcome } from './verify-checks.js';

/** What onboarding (or its plan) did. Ids and statuses only. */
export interface OnboardResult {
  readonly mode: RunMode;
  /** Every step's report, in run order (`index` 1, 2, …; `runbookStep` labels them with the runbook's numbering). */
  readonly steps: readonly StepReport[];
  /** The identity's id, once known. */
  readonly identityId: string | undefined;
  /** The universal-auth client id, once known. */
  readonly clientId: string | undefined;
  /** Step 10's checks, when it ran. */
  readonly verify: VerifyResult | undefined;
}

async function verifyStep(ctx: StepContext, opts: ResolvedOnboardOptions): Promise<StepOutcome<VerifyResult>> {
  if (!opts.verify) return { status: 'skipped', detail: 'not asked for (--no-verify)' };
  if (ctx.run.mode === 'plan')
    return { status: 'would-do', detail: 'log in, read in scope, read out of scope and write through the proxy' };
  const stored = await ctx.client.getSecret(credentialRef(ctx, ctx.target.clientSecretKey));
  const result = await runVerifyChecks({
    admin: ctx.client,
    connection: ctx.connection,
    environment: ctx.target.environment,
    scope: opts.scope.scope,
    credentials: { clientId: need(ctx.state.clientId, 'client id'), clientSecret: stored.secretValue },
    probes: opts.probes,
  });
  return verifyOutcome(result);
}

async function runOnboarding(mode: RunMode, options: OnboardOptions, env: Env): Promise<OnboardResult> {
  const opts = resolveOnboardOptions(options, env);
  const client = createInfisicalClient(opts.connection.client);
  const run = new ProvisionRun(mode, ONBOARD_STEPS, opts.onStep);
  const ctx: StepContext = { run, client, connection: opts.connection, target: opts.target, state: {}, now: opts.now };
  let verify: VerifyResult | undefined;
  try {
    await signIn(ctx, { provision: { accessTokenTTL: opts.accessTokenTTL, accessTokenMaxTTL: opts.accessTokenMaxTTL }, privileges: true });
    await run.step('creds-folder', () => credsFolderStep(ctx));
    await run.step('store-client-id', () => storeClientIdStep(ctx));
    await run.step('client-secret', () => clientSecretStep(ctx));
    await run.step('membership', () => membershipStep(ctx));
    await run.step('privilege', () => privilegeStep(ctx, opts.scope.scope));
    verify = await run.step('verify', () => verifyStep(ctx, opts));
    await run.step('manifest', () => manifestStep(ctx, opts.manifest, opts.rotationIntervalDays));
  } finally {
    client.close();
  }
  return { mode, steps: run.reports, identityId: ctx.state.identityId, clientId: ctx.state.clientId, verify };
}

/**
 * Onboard a read-only agent identity (runbook §Onboarding prompt, Steps 1–10
 * and 12). Every step looks first and acts only if needed, so a rerun after
 * a failure at any step converges on the same state with no duplicates.
 * Options are validated before the first call. On failure throws a
 * `VaultProxyError` naming the step (`details.step`); the reports so far
 * went to `onStep`.
 */
export function onboardIdentity(options: OnboardOptions, env: Env = process.env): Promise<OnboardResult> {
  return runOnboarding('apply', options, env);
}

/** The same steps as {@link onboardIdentity}, looking only: reports `would-do` where onboarding would change something. Changes nothing. */
export function planOnboarding(options: OnboardOptions, env: Env = process.env): Promise<OnboardResult> {
  return runOnboarding('plan', options, env);
}
