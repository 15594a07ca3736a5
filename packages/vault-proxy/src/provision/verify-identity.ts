import { VaultProxyError } from '../errors.js';
import { createInfisicalClient } from '../infisical/index.js';
import type { Env } from '../settings/env.js';
import { resolveVaultConnection } from './connection-options.js';
import { checkScope } from './guardrails.js';
import { resolveIdentityTarget } from './identity-target.js';
import type { ProvisionCommonOptions } from './onboard-options.js';
import { resolveProbes, type VerifyProbeOptions } from './probe-options.js';
import { ProvisionRun } from './provision-run.js';
import { signIn } from './sign-in.js';
import { credentialRef, identityRunResult, need, type StepContext } from './step-context.js';
import { type IdentityRunResult, VERIFY_STEPS } from './step-report.js';
import { runVerifyChecks, type VerifyResult, verifyOutcome } from './verify-checks.js';

/** Options of {@link verifyIdentity}. */
export interface VerifyOptions extends ProvisionCommonOptions, VerifyProbeOptions {
  /** The scope the identity should have. Default: read from its privilege `slug` (`<agentName>-read`). */
  scope?: string;
}

/** What {@link verifyIdentity} found. */
export interface VerifyIdentityResult extends IdentityRunResult {
  /** The scope verified against. */
  readonly scope: string;
  readonly verify: VerifyResult;
}

/** The scope to verify against, read from the identity's privilege `slug`; an absent privilege or one naming no glob fails the step. */
async function scopeFromPrivilege(ctx: StepContext): Promise<string> {
  const project = need(ctx.state.project, 'project');
  const identityId = need(ctx.state.identityId, 'identity');
  // Absent also when the identity is no project member (Infisical answers that lookup 400; the client reads it as absent).
  const privilege = await ctx.client.findPrivilegeBySlug({ slug: ctx.target.slug, identityId, projectSlug: project.slug });
  if (!privilege) {
    throw new VaultProxyError(
      'PROVISION_STEP_FAILED',
      `The identity has no privilege ${ctx.target.slug} in project ${project.slug} (or is no member of it). Onboard it (\`vault-provision onboard\`), or name its privilege with --slug or the scope to check with --scope.`,
      { details: { slug: ctx.target.slug } },
    );
  }
  const path = privilege.permissions?.[0]?.conditions?.secretPath;
  const glob = typeof path === 'string' ? path : (path as { $glob?: unknown } | undefined)?.$glob;
  if (typeof glob === 'string') return glob;
  throw new VaultProxyError(
    'PROVISION_STEP_FAILED',
    `Privilege ${ctx.target.slug} names no secretPath glob to verify against. Pass --scope.`,
    { details: { slug: ctx.target.slug } },
  );
}

/**
 * Verify an onboarded identity (runbook Step 10) through the proxy: log in
 * with its stored credentials (200), read in scope (200), read in an existing
 * folder out of scope (403; skipped when no such folder exists), write a
 * fresh key in an existing folder in scope (403). Throws `VERIFY_FAILED`
 * listing the checks that differ.
 */
export async function verifyIdentity(options: VerifyOptions, env: Env = process.env): Promise<VerifyIdentityResult> {
  const target = resolveIdentityTarget(options);
  const explicitScope = options.scope === undefined ? undefined : checkScope(options.scope, target.root, true).scope;
  const probes = resolveProbes(options);
  const connection = resolveVaultConnection(options, env);
  const client = createInfisicalClient(connection.client);
  const run = new ProvisionRun('apply', VERIFY_STEPS, options.onStep);
  const ctx: StepContext = { run, client, connection, target, state: {}, now: options.now ?? (() => new Date()) };
  let result: VerifyResult | undefined;
  let scope = explicitScope;
  try {
    // Without --scope the scope is read from the privilege: a server without those routes is refused up front.
    await signIn(ctx, { privileges: explicitScope === undefined });
    result = await run.step('verify', async () => {
      scope ??= await scopeFromPrivilege(ctx);
      const stored = await client.findSecret(credentialRef(ctx, target.clientSecretKey));
      if (!stored) {
        throw new VaultProxyError(
          'PROVISION_STEP_FAILED',
          `No client secret is stored at ${target.credsPath}/${target.clientSecretKey}. Run \`vault-provision rotate\` to issue and store one (runbook §Pending operator action).`,
          { details: { credsPath: target.credsPath, key: target.clientSecretKey } },
        );
      }
      const checks = await runVerifyChecks({
        admin: client,
        connection,
        environment: target.environment,
        scope,
        credentials: { clientId: need(ctx.state.clientId, 'client id'), clientSecret: stored.secretValue },
        probes,
      });
      return verifyOutcome(checks);
    });
  } finally {
    client.close();
  }
  return {
    ...identityRunResult(ctx),
    scope: need(scope, 'scope'),
    verify: need(result, 'verify result'),
  };
}
