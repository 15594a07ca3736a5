import { VaultProxyError } from '../errors.js';
import type {
  CreateIdentityPrivilegeRequest,
  IdentityPrivilege,
  PrivilegePermission,
  ProjectIdentityMembership,
} from '../infisical/index.js';
import { conflict, type StepOutcome } from './provision-run.js';
import { need, type StepContext } from './step-context.js';

/** Steps 8 and 9: project membership (no-access) and the read-only additional privilege. @internal */

/** A create refused as "already there" whose result still cannot be read: nothing to compare, so the step fails rather than guess. */
function vanished(what: string, details: Record<string, unknown>): VaultProxyError {
  return new VaultProxyError(
    'PROVISION_STEP_FAILED',
    `Infisical refused to create ${what} as already there, yet none can be read. Rerun.`,
    {
      details,
    },
  );
}

function checkMembership(membership: ProjectIdentityMembership, identityId: string): StepOutcome {
  const roles = membership.roles.map((r) => r.customRoleSlug ?? r.role);
  if (roles.length === 0 || roles.some((r) => r !== 'no-access')) {
    throw conflict(
      `The identity's project membership has role(s) ${roles.join(', ') || '(none)'}, not no-access.`,
      'Set its project role to no-access in Infisical (access comes only from the read privilege), or pass another --identity-name.',
      { identityId, roles },
    );
  }
  return { status: 'already-done', detail: 'project member with role no-access' };
}

/** Step 8: the identity is a project member with role no-access; any other role is a conflict. */
export async function membershipStep(ctx: StepContext): Promise<StepOutcome> {
  if (ctx.state.identityId === undefined) return { status: 'would-do', detail: 'add the identity to the project with role no-access' };
  const identityId = ctx.state.identityId;
  const projectId = ctx.connection.projectId;
  const existing = await ctx.client.findProjectMembership(projectId, identityId);
  if (existing) return checkMembership(existing, identityId);
  if (ctx.run.mode === 'plan') return { status: 'would-do', detail: 'add the identity to the project with role no-access' };
  if (!(await ctx.client.createProjectMembershipIfAbsent(projectId, identityId, 'no-access'))) {
    // A member meanwhile (a concurrent or half-answered run): check what is there.
    const raced = await ctx.client.findProjectMembership(projectId, identityId);
    if (raced) return checkMembership(raced, identityId);
    throw vanished('the project membership', { identityId });
  }
  return { status: 'done', detail: 'added to the project with role no-access' };
}

/** The one rule ever granted: `read` on `secrets` in one environment under one glob. @internal */
export function readOnlyPermission(environment: string, scope: string): PrivilegePermission {
  return { subject: 'secrets', action: ['read'], conditions: { environment, secretPath: { $glob: scope } } };
}

/** Canonical JSON (sorted keys; `env` and `{ $eq: env }` alike) to compare rules. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function normalisedRule(rule: PrivilegePermission): string {
  const conditions = { ...(rule.conditions ?? {}) } as Record<string, unknown>;
  const env = conditions.environment;
  if (typeof env === 'object' && env !== null && Object.keys(env).length === 1 && '$eq' in env)
    conditions.environment = (env as { $eq: unknown }).$eq;
  return canonical({ subject: rule.subject, action: [...rule.action].sort(), conditions, inverted: rule.inverted === true });
}

/** Whether a privilege grants exactly the wanted rules, permanently. @internal */
export function privilegeMatches(privilege: IdentityPrivilege, wanted: readonly PrivilegePermission[]): boolean {
  if (privilege.isTemporary || !privilege.permissions) return false;
  const have = privilege.permissions.map(normalisedRule).sort();
  const want = wanted.map(normalisedRule).sort();
  return have.length === want.length && have.every((r, i) => r === want[i]);
}

/** A printable, secret-free summary of a privilege's rules. */
function describe(privilege: IdentityPrivilege): string {
  const rules = (privilege.permissions ?? []).map(
    (p) => `${p.inverted ? 'cannot ' : ''}${p.action.join('+')} ${p.subject} ${canonical(p.conditions ?? {})}`,
  );
  return `${rules.join('; ') || 'no rules'}${privilege.isTemporary ? ' (temporary)' : ''}`;
}

/**
 * Step 9: the additional privilege `slug` grants exactly `read` on secrets in
 * the environment under the scope. Present and equal → kept; present and
 * different → a conflict (reported, never replaced); absent → created.
 */
export async function privilegeStep(ctx: StepContext, scope: string): Promise<StepOutcome> {
  const { slug, environment } = ctx.target;
  const wanted = [readOnlyPermission(environment, scope)];
  const grant = `privilege ${slug}: read on secrets in ${environment} at ${scope}`;
  if (ctx.state.identityId === undefined) return { status: 'would-do', detail: `grant ${grant}` };
  const identityId = ctx.state.identityId;
  const check = (existing: IdentityPrivilege): StepOutcome => {
    if (privilegeMatches(existing, wanted)) return { status: 'already-done', detail: `${grant} is in place` };
    throw conflict(
      `Privilege ${slug} exists but differs: it grants ${describe(existing)}; requested read on secrets {environment: ${environment}, secretPath: {$glob: ${scope}}}.`,
      'It was NOT replaced. Delete it in Infisical, pass the scope it grants (--scope), or pass another --slug.',
      { identityId, slug, privilegeId: existing.id },
    );
  };
  const project = need(ctx.state.project, 'project');
  const query = { slug, identityId, projectSlug: project.slug };
  const existing = await ctx.client.findPrivilegeBySlug(query);
  if (existing) return check(existing);
  if (ctx.run.mode === 'plan') return { status: 'would-do', detail: `grant ${grant}` };
  const request: CreateIdentityPrivilegeRequest = {
    identityId,
    projectId: project.id,
    slug,
    permissions: wanted,
    type: { isTemporary: false },
  };
  if (!(await ctx.client.createIdentityPrivilegeIfAbsent(request))) {
    // Granted meanwhile (a concurrent or half-answered run): compare what is there, never replace it.
    const raced = await ctx.client.findPrivilegeBySlug(query);
    if (raced) return check(raced);
    throw vanished(`privilege ${slug}`, { identityId, slug });
  }
  return { status: 'done', detail: `granted ${grant}` };
}
