import { permissionDenied } from '../errors.js';
import { matchesGlob } from './glob.js';
import { cachedProjectRules } from './permission-cache.js';
import type { VaultStore } from './store.js';

/** A CASL rule as Infisical stores additional privileges and role permissions. */
export interface PermissionRule {
  subject: string;
  action: string[];
  conditions?: Record<string, unknown>;
  inverted?: boolean;
}

/** The attributes of the thing being accessed (CASL `subject(...)` fields). @internal */
export interface PermissionFields {
  environment?: string;
  secretPath?: string;
  secretName?: string;
  identityId?: string;
}

const MANAGE_ALL: PermissionRule[] = [{ subject: 'all', action: ['manage'] }];

const ORG_ROLE_RULES: Record<string, PermissionRule[]> = {
  admin: MANAGE_ALL,
  member: [
    { subject: 'identity', action: ['read'] },
    { subject: 'workspace', action: ['read'] },
  ],
  'no-access': [],
};

const PROJECT_ROLE_RULES: Record<string, PermissionRule[]> = {
  admin: MANAGE_ALL,
  member: [
    { subject: 'secrets', action: ['read', 'create', 'edit', 'delete'] },
    { subject: 'secret-folders', action: ['read', 'create', 'edit', 'delete'] },
    { subject: 'identity', action: ['read'] },
    { subject: 'environments', action: ['read'] },
  ],
  viewer: [
    { subject: 'secrets', action: ['read'] },
    { subject: 'secret-folders', action: ['read'] },
    { subject: 'identity', action: ['read'] },
    { subject: 'environments', action: ['read'] },
  ],
  'no-access': [],
};

/** Built-in project role slugs. @internal */
export const PROJECT_ROLES = Object.keys(PROJECT_ROLE_RULES);
/** Built-in organisation role slugs. @internal */
export const ORG_ROLES = Object.keys(ORG_ROLE_RULES);

// Infisical replaced the legacy secrets `read` by describeSecret + readValue; a legacy rule grants both.
function actionMatches(ruleActions: readonly string[], action: string, subject: string): boolean {
  if (ruleActions.includes(action) || ruleActions.includes('manage')) return true;
  return subject === 'secrets' && ruleActions.includes('read') && (action === 'describeSecret' || action === 'readValue');
}

// backend/src/lib/casl/index.ts: PermissionConditionOperators are $in, $eq, $ne (named $NEQ), $glob — no `$neq`
function operatorMatches(value: string, op: string, operand: unknown): boolean {
  switch (op) {
    case '$eq':
      return value === operand;
    case '$ne':
      return value !== operand;
    case '$in':
      return Array.isArray(operand) && operand.includes(value);
    case '$glob':
      return typeof operand === 'string' && matchesGlob(value, operand);
    default:
      return false;
  }
}

// A field the check does not supply (e.g. secretName when listing a folder) does not restrict the rule.
function conditionMatches(value: string | undefined, condition: unknown): boolean {
  if (value === undefined) return true;
  if (typeof condition === 'string') return value === condition;
  if (condition && typeof condition === 'object') {
    return Object.entries(condition).every(([op, operand]) => operatorMatches(value, op, operand));
  }
  return false;
}

function ruleApplies(rule: PermissionRule, action: string, subject: string, fields: PermissionFields): boolean {
  if (rule.subject !== subject && rule.subject !== 'all') return false;
  if (!actionMatches(rule.action, action, subject)) return false;
  if (!rule.conditions) return true;
  return Object.entries(rule.conditions).every(([field, condition]) => {
    if (field === 'secretTags') return true; // the model keeps no tags
    return conditionMatches(fields[field as keyof PermissionFields], condition);
  });
}

/** CASL semantics: the last applicable rule wins; an inverted one forbids. @internal */
export function can(rules: readonly PermissionRule[], action: string, subject: string, fields: PermissionFields = {}): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule && ruleApplies(rule, action, subject, fields)) return !rule.inverted;
  }
  return false;
}

/** Throw 403 PermissionDenied unless allowed; details list the caller's rules for that action and subject. @internal */
export function assertCan(rules: readonly PermissionRule[], action: string, subject: string, fields: PermissionFields = {}): void {
  if (can(rules, action, subject, fields)) return;
  const details = rules
    .filter((r) => (r.subject === subject || r.subject === 'all') && actionMatches(r.action, action, subject))
    .map((r) => ({ action: r.action, inverted: r.inverted ?? false, subject: r.subject, conditions: r.conditions }));
  throw permissionDenied(action, subject, details);
}

/** The organisation-level rules of an identity (from its org role). @internal */
export function orgRulesOf(store: VaultStore, identityId: string): PermissionRule[] {
  const identity = store.identities.get(identityId);
  if (!identity) return [];
  return ORG_ROLE_RULES[identity.orgRole] ?? [];
}

/**
 * The project-level rules of an identity: its membership roles (temporary ones only while active)
 * followed by its additional privileges, so a privilege can narrow or widen what the role gives.
 * @internal
 */
export function projectRulesOf(store: VaultStore, identityId: string): PermissionRule[] {
  return cachedProjectRules(store, identityId, () => liveProjectRules(store, identityId));
}

function liveProjectRules(store: VaultStore, identityId: string): PermissionRule[] {
  const membership = store.memberships.get(identityId);
  if (!membership) return [];
  const now = store.clock.now();
  const active = (r: { isTemporary: boolean; temporaryAccessStartTime: string | null; temporaryAccessEndTime: string | null }) =>
    !r.isTemporary ||
    (r.temporaryAccessStartTime !== null &&
      r.temporaryAccessEndTime !== null &&
      Date.parse(r.temporaryAccessStartTime) <= now &&
      now < Date.parse(r.temporaryAccessEndTime));
  const rules: PermissionRule[] = [];
  for (const role of membership.roles) if (active(role)) rules.push(...(PROJECT_ROLE_RULES[role.role] ?? []));
  for (const privilege of store.privileges.values()) {
    if (privilege.identityId === identityId && active(privilege)) rules.push(...privilege.permissions);
  }
  return rules;
}
