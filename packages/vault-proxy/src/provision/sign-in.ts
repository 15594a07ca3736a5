import { configInvalid, VaultProxyError } from '../errors.js';
import { credentialsRefusedOn } from '../infisical/index.js';
import { conflict, type StepOutcome } from './provision-run.js';
import { need, type StepContext } from './step-context.js';

/**
 * The sign-in every command starts with (runbook Steps 1–4): admin login →
 * the project (its organisation) → the identity by name → its universal
 * auth (the client id). One sequence for onboard, plan, verify and rotate,
 * so the lookups and their checks cannot drift apart.
 */

/** Wanted token lifetimes of the identity's universal auth. @internal */
export interface WantedTtl {
  readonly accessTokenTTL: number;
  readonly accessTokenMaxTTL: number;
}

/** What a command needs from {@link signIn} besides finding the identity. @internal */
export interface SignInOptions {
  /**
   * Onboarding: create the identity (org role no-access) and attach
   * universal auth with these TTLs when absent, and treat other TTLs as a
   * conflict. Without it only existing ones are read, and an absent one
   * fails the step, pointing at `onboard`.
   */
  readonly provision?: WantedTtl;
  /** `rotate --due`: the ids the manifest lists; the vault holding others is a conflict (the entry is stale). */
  readonly expected?: { readonly identityId: string; readonly clientId: string };
  /** The command needs identity additional privileges: a server without those routes is refused at Step 2, before any change. */
  readonly privileges?: boolean;
}

/**
 * Run Steps 1–4 as `ctx.run`'s steps `admin-login`, `project`, `identity`
 * and `universal-auth`, reporting each to the run's listener. Afterwards
 * `ctx.state` holds the project, and the identity id and client id unless
 * a plan found them absent (they would be created).
 * @internal
 */
export async function signIn(ctx: StepContext, options: SignInOptions = {}): Promise<void> {
  const { provision, expected } = options;
  await ctx.run.step('admin-login', () => adminLoginStep(ctx));
  await ctx.run.step('project', () => projectStep(ctx, options.privileges === true));
  await ctx.run.step('identity', async () => {
    const outcome = await identityStep(ctx, provision !== undefined);
    if (expected && ctx.state.identityId !== expected.identityId) {
      throw conflict(
        `The manifest lists identity id ${expected.identityId} for ${ctx.target.identityName}; the vault has ${ctx.state.identityId}.`,
        'Fix the entry in the --manifest file (or remove it and register again with `vault-provision onboard --manifest`).',
      );
    }
    return outcome;
  });
  await ctx.run.step('universal-auth', async () => {
    const outcome = await universalAuthStep(ctx, provision);
    if (expected && ctx.state.clientId !== expected.clientId) {
      throw conflict(
        `The manifest lists client id ${expected.clientId}; the identity has ${ctx.state.clientId}.`,
        'Fix the entry in the --manifest file (or remove it and register again with `vault-provision onboard --manifest`).',
      );
    }
    return outcome;
  });
}

/** Step 1: log in as the admin identity (the client renews the token as needed). A refusal names the variables to fix. */
async function adminLoginStep(ctx: StepContext): Promise<StepOutcome> {
  try {
    const login = await ctx.client.authenticate(ctx.connection.admin);
    return { status: 'done', detail: `logged in as the admin identity (token valid ${login.expiresIn}s)` };
  } catch (error) {
    if (!credentialsRefusedOn(error)) throw error;
    throw configInvalid(
      'INFISICAL_CLIENT_SECRET',
      'env',
      'was refused by Infisical (401: the admin identity’s INFISICAL_CLIENT_ID / INFISICAL_CLIENT_SECRET do not log in)',
      'Export the admin machine identity’s current INFISICAL_CLIENT_ID and INFISICAL_CLIENT_SECRET (a rotated or revoked client secret needs its new value).',
      error,
    );
  }
}

/** Refused before any change: the server cannot grant the read-only privilege at Step 9. */
function predatesPrivileges(): VaultProxyError {
  return new VaultProxyError(
    'PROVISION_REFUSED',
    'This Infisical server predates identity additional privileges (/api/v2/identity-project-additional-privilege answers 404 route not found), so the read-only privilege of Step 9 cannot be granted. Nothing was changed. Upgrade Infisical, or grant the read access by hand.',
    { details: { route: '/api/v2/identity-project-additional-privilege' } },
  );
}

/** Step 2: the project, its organisation, that the environment exists and, when needed, that the server has the privilege routes. */
async function projectStep(ctx: StepContext, privileges: boolean): Promise<StepOutcome> {
  const project = await ctx.client.getProject(ctx.connection.projectId);
  if (privileges && !(await ctx.client.hasIdentityPrivilegeRoutes(project.id))) throw predatesPrivileges();
  const env = ctx.target.environment;
  if (project.environments.length > 0 && !project.environments.some((e) => e.slug === env)) {
    throw new VaultProxyError(
      'PROVISION_REFUSED',
      `\`environment\` names no environment of project ${project.slug}. Pass one of its environment slugs.`,
      { details: { field: 'environment', environments: project.environments.map((e) => e.slug) } },
    );
  }
  ctx.state.project = project;
  return { status: 'done', detail: `project ${project.slug} (${project.id}), organisation ${project.orgId}` };
}

/**
 * Step 3: find the identity by name; create it (org role no-access) only when
 * absent and `create` is set. Two with the same name is a conflict.
 */
async function identityStep(ctx: StepContext, create: boolean): Promise<StepOutcome> {
  const project = need(ctx.state.project, 'project');
  const name = ctx.target.identityName;
  const found = await ctx.client.findIdentitiesByName(project.orgId, name);
  if (found.length > 1) {
    throw conflict(
      `${found.length} identities are named ${name}.`,
      'Delete or rename the extra ones in Infisical, or pass another --identity-name; provisioning will not guess which one is meant.',
      { identityIds: found.map((m) => m.identity.id) },
    );
  }
  const existing = found[0];
  if (existing) {
    if (existing.role !== '' && existing.role !== 'no-access') {
      throw conflict(
        `Identity ${name} exists with organisation role ${existing.role}, not no-access.`,
        'Set its organisation role to no-access in Infisical (agent identities get only their read privilege), or pass another --identity-name.',
        { identityId: existing.identity.id, role: existing.role },
      );
    }
    ctx.state.identityId = existing.identity.id;
    return { status: 'already-done', detail: `identity ${name} exists (${existing.identity.id})` };
  }
  if (!create) {
    throw new VaultProxyError('PROVISION_STEP_FAILED', `No identity is named ${name}. Run \`vault-provision onboard\` first.`, {
      details: { identityName: name },
    });
  }
  if (ctx.run.mode === 'plan') return { status: 'would-do', detail: `create identity ${name} with organisation role no-access` };
  const identity = await ctx.client.createIdentityOnce({ name, organizationId: project.orgId, role: 'no-access' });
  ctx.state.identityId = identity.id;
  return { status: 'done', detail: `created identity ${name} (${identity.id}), organisation role no-access` };
}

/**
 * Step 4: universal auth on the identity. Present → its TTLs are compared
 * (a difference is a conflict, not silently changed); absent → attached with
 * the wanted TTLs and no IP allow-list (runbook), or a failure when only reading.
 * `raced` is set on the second look, after an attach found one in place.
 */
async function universalAuthStep(ctx: StepContext, wanted: WantedTtl | undefined, raced = false): Promise<StepOutcome> {
  const ttlText = wanted ? `TTL ${wanted.accessTokenTTL}s, max ${wanted.accessTokenMaxTTL}s` : '';
  if (ctx.state.identityId === undefined) return { status: 'would-do', detail: `attach universal auth (${ttlText})` };
  const identityId = ctx.state.identityId;
  const existing = await ctx.client.findUniversalAuth(identityId);
  if (existing) {
    if (wanted && (existing.accessTokenTTL !== wanted.accessTokenTTL || existing.accessTokenMaxTTL !== wanted.accessTokenMaxTTL)) {
      throw conflict(
        `Universal auth is attached with TTL ${existing.accessTokenTTL}s / max ${existing.accessTokenMaxTTL}s, not the requested ${wanted.accessTokenTTL}s / ${wanted.accessTokenMaxTTL}s.`,
        'Change it in Infisical, or pass the TTLs it has (--access-token-ttl / --access-token-max-ttl).',
        { identityId },
      );
    }
    ctx.state.clientId = existing.clientId;
    return {
      status: 'already-done',
      detail: `universal auth attached (client id ${existing.clientId}, TTL ${existing.accessTokenTTL}s, max ${existing.accessTokenMaxTTL}s)`,
    };
  }
  if (raced) {
    throw new VaultProxyError(
      'PROVISION_STEP_FAILED',
      'Infisical refused to attach universal auth as already attached, yet none can be read. Rerun.',
      {
        details: { identityId },
      },
    );
  }
  if (!wanted) {
    throw new VaultProxyError('PROVISION_STEP_FAILED', 'The identity has no universal auth. Run `vault-provision onboard` first.', {
      details: { identityId },
    });
  }
  if (ctx.run.mode === 'plan') return { status: 'would-do', detail: `attach universal auth (${ttlText})` };
  const allIps = [{ ipAddress: '0.0.0.0/0' }, { ipAddress: '::/0' }];
  const attached = await ctx.client.attachUniversalAuthIfAbsent(identityId, {
    ...wanted,
    accessTokenNumUsesLimit: 0,
    accessTokenTrustedIps: allIps,
    clientSecretTrustedIps: allIps,
  });
  // Attached meanwhile (a concurrent or half-answered run): read what is there and compare.
  if (!attached) return universalAuthStep(ctx, wanted, true);
  ctx.state.clientId = attached.clientId;
  return { status: 'done', detail: `attached universal auth (client id ${attached.clientId}, ${ttlText})` };
}
