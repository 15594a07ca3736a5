import type { Env } from '../settings/env.js';
import { type ResolvedVaultConnection, resolveVaultConnection, type VaultConnectionOptions } from './connection-options.js';
import { checkActions, checkScope, refuse, type ScopeCheck } from './guardrails.js';
import { type IdentityTarget, type IdentityTargetOptions, resolveIdentityTarget } from './identity-target.js';
import { type ResolvedProbes, resolveProbes, type VerifyProbeOptions } from './probe-options.js';
import type { StepListener } from './step-report.js';

/** Options every provisioning command shares: the vault connection, the identity, progress and clock. */
export interface ProvisionCommonOptions extends VaultConnectionOptions, IdentityTargetOptions {
  /** Called with each step's report as soon as it is known. Default: none. */
  onStep?: StepListener;
  /** Clock for dates written to the manifest and secret descriptions. Default `() => new Date()`. */
  now?: () => Date;
}

/** Options of {@link onboardIdentity} and {@link planOnboarding} (runbook §Onboarding prompt, Steps 1–10 and 12). */
export interface OnboardOptions extends ProvisionCommonOptions, VerifyProbeOptions {
  /** The `secretPath` glob the identity may read, e.g. `/MooseQuest/app/**`. Required; must lie inside `root` and not be broad unless `allowBroad`. */
  scope?: string;
  /** Allow a broad scope (`/`, `/**`, `<root>/**`) or one outside `root`. Default `false`. Never allows more than `read`. */
  allowBroad?: boolean;
  /** Actions to grant. Default `['read']`; anything else is refused (identities are read-only). */
  actions?: readonly string[];
  /** Access token TTL in seconds. Default `3600`. */
  accessTokenTTL?: number;
  /** Access token max TTL in seconds. Default `7200`. */
  accessTokenMaxTTL?: number;
  /** Path of the rotation manifest to register the identity in (Step 12). Default: none (step skipped). */
  manifest?: string;
  /** Days between rotations recorded in the manifest. Default `30`. */
  rotationIntervalDays?: number;
  /** Run Step 10 (verify through the proxy) at the end. Default `true`. */
  verify?: boolean;
}

/** Onboard options after environment, defaults and validation. @internal */
export interface ResolvedOnboardOptions {
  readonly connection: ResolvedVaultConnection;
  readonly target: IdentityTarget;
  readonly scope: ScopeCheck;
  readonly actions: readonly ['read'];
  readonly accessTokenTTL: number;
  readonly accessTokenMaxTTL: number;
  readonly manifest: string | undefined;
  /** `undefined` when not given: an existing manifest entry keeps its interval, a new one gets 30. */
  readonly rotationIntervalDays: number | undefined;
  readonly verify: boolean;
  readonly probes: ResolvedProbes;
  readonly onStep: StepListener | undefined;
  readonly now: () => Date;
}

const MAX_TTL = 315_360_000;

/** @internal */
export function checkInteger(value: number | undefined, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw refuse(field, `must be an integer from ${min} to ${max}`, 'Fix or omit it.');
  return value;
}

/**
 * Resolve → validate everything onboarding needs, before any call: names,
 * slug, scope against the root, actions, TTLs, connection and credentials.
 * Throws `PROVISION_REFUSED` or `CONFIG_INVALID` naming the field, never its value.
 */
export function resolveOnboardOptions(options: OnboardOptions, env: Env = process.env): ResolvedOnboardOptions {
  const target = resolveIdentityTarget(options);
  const actions = checkActions(options.actions);
  const scope = checkScope(options.scope, target.root, options.allowBroad === true);
  const accessTokenTTL = checkInteger(options.accessTokenTTL, 'accessTokenTTL', 3600, 1, MAX_TTL);
  const accessTokenMaxTTL = checkInteger(options.accessTokenMaxTTL, 'accessTokenMaxTTL', 7200, 1, MAX_TTL);
  if (accessTokenTTL > accessTokenMaxTTL) {
    throw refuse('accessTokenTTL', 'is greater than accessTokenMaxTTL', 'Lower the TTL or raise the max TTL.');
  }
  const rotationIntervalDays =
    options.rotationIntervalDays === undefined
      ? undefined
      : checkInteger(options.rotationIntervalDays, 'rotationIntervalDays', 30, 1, 3650);
  const manifest = options.manifest?.trim();
  if (manifest === '') throw refuse('manifest', 'is empty', 'Pass a file path or omit it.');
  const probes = resolveProbes(options);
  const connection = resolveVaultConnection(options, env);
  return {
    connection,
    target,
    scope,
    actions,
    accessTokenTTL,
    accessTokenMaxTTL,
    manifest,
    rotationIntervalDays,
    verify: options.verify !== false,
    probes,
    onStep: options.onStep,
    now: options.now ?? (() => new Date()),
  };
}
