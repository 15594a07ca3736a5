import type { IdentityPrivilege, PrivilegePermission, ProjectIdentityMembership } from '../infisical/api-types.js';
import { conflict, isInfisicalStatus, type StepOutcome } from './provision-run.js';
import { need, type StepContext } from './step-context.js';

/** Steps 8 and 9: project membership (no-access) and the read-only additional privilege. @internal */

async function readMembership(ctx: StepContext, identityId: string): Promise<ProjectIdentityMembership | undefined> {
  try {
    return await ctx.client.getProjectMembership(ctx.connection.projectId, identityId);
  } catch (error) {
    if (isInfisicalStatus(error, 404)) return undefined;
    throw error;
  }
}

function checkMembership(membership: ProjectIdentityMembership, identityId: string): StepOutcome {
  const roles = membership.roles.map((r) => r.customRoleSlug ?? r.role);
  if (roles.length === 0 || roles.some((r) => r !== 'no-access')) {
    throw conflict(
      `The identity's project membership has role(s) ${roles.join(', ') || '(none)'}, not no-access.`,
      'Set its project role to no-access in Infisical (access comes only from the read privilege), then rerun.',
      { identityId, roles },
    );
  }
  return { status: 'already-done', detail: 'project member with role no-access' };
}

/** Step 8: the identity is a project member with role no-access; any other role is a conflict. */
export async function membershipStep(ctx: StepContext): Promise<StepOutcome> {
  if (ctx.state.identityId === undefined) return { status: 'would-do', detail: 'add the identity to the project with role no-access' };
  const identityId = ctx.state.identityId;
  const existing = await readMembership(ctx, identityId);
  if (existing) return checkMembership(existing, identityId);
  if (ctx.run.mode === 'plan') return { status: 'would-do', detail: 'add the identity to the project with role no-access' };
  try {
    await ctx.client.createProjectMembership(ctx.connection.projectId, identityId, 'no-access');
  } catch (error) {
    if (!isInfisicalStatus(error, 400, /already a member/i)) throw error;
    const raced = await readMembership(ctx, identityId);
    if (raced) return checkMembership(raced, identityId);
    throw error;
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

async function readPrivilege(ctx: StepContext, identityId: string, slug: string): Promise<IdentityPrivilege | undefined> {
  const project = need(ctx.state.project, 'project');
  try {
    return await ctx.client.getIdentityPrivilegeBySlug({ slug, identityId, projectSlug: project.slug });
  } catch (error) {
    if (isInfisicalStatus(error, 404)) return undefined;
    throw error;
  }
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
      'It was NOT replaced. Review it in Infisical (delete it, or pass another --slug), then rerun.',
      { identityId, slug, privilegeId: existing.id },
    );
  };
  const existing = await readPrivilege(ctx, identityId, slug);
  if (existing) return check(existing);
  if (ctx.run.mode === 'plan') return { status: 'would-do', detail: `grant ${grant}` };
  const project = need(ctx.state.project, 'project');
  try {
    await ctx.client.createIdentityPrivilege({
      identityId,
      projectId: project.id,
      slug,
      permissions: wanted,
      type: { isTemporary: false },
    });
  } catch (error) {
    if (!isInfisicalStatus(error, 400, /exists/i)) throw error;
    const raced = await readPrivilege(ctx, identityId, slug);
    if (raced) return check(raced);
    throw error;
  }
  return { status: 'done', detail: `granted ${grant}` };
}
