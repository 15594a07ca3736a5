import { isValidGlob } from '../model/glob.js';
import type { PermissionRule } from '../model/permissions.js';
import type { FieldReader } from './validation.js';

const CRUD = ['read', 'create', 'edit', 'delete'];
const ACTIONS: Record<string, string[]> = {
  secrets: ['read', 'describeSecret', 'readValue', 'create', 'edit', 'delete'],
  'secret-folders': CRUD,
  'secret-imports': CRUD,
  'dynamic-secrets': ['read-root-credential', 'create-root-credential', 'edit-root-credential', 'delete-root-credential', 'lease'],
  identity: [
    'read',
    'create',
    'edit',
    'delete',
    'grant-privileges',
    'assume-privileges',
    'revoke-auth',
    'create-token',
    'get-token',
    'delete-token',
  ],
  environments: CRUD,
  tags: CRUD,
  role: CRUD,
  member: CRUD,
  workspace: ['edit', 'delete'],
};
const CONDITION_KEYS: Record<string, string[]> = {
  secrets: ['environment', 'secretPath', 'secretName', 'secretTags'],
  'secret-folders': ['environment', 'secretPath'],
  'secret-imports': ['environment', 'secretPath'],
  'dynamic-secrets': ['environment', 'secretPath'],
  identity: ['identityId'],
};
// backend/src/lib/casl/index.ts: PermissionConditionOperators — `$ne`, never `$neq`
const OPERATORS = ['$eq', '$ne', '$in', '$glob'];

type Path = Array<string | number>;

function checkCondition(b: FieldReader, path: Path, key: string, value: unknown): void {
  const pathLike = key === 'secretPath';
  const checkString = (s: unknown, p: Path) => {
    if (typeof s !== 'string') b.addIssue(p, 'Expected string', 'invalid_type', { expected: 'string' });
    else if (pathLike && !s.startsWith('/')) b.addIssue(p, "Invalid Secret Path; it must start with a '/'");
  };
  if (key === 'secretTags') {
    if (!value || typeof value !== 'object' || !Array.isArray((value as { $in?: unknown }).$in)) b.addIssue(path, 'secretTags needs $in');
    return;
  }
  if (typeof value === 'string') {
    checkString(value, path);
    return;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    b.addIssue(path, 'Expected string or operator object', 'invalid_union');
    return;
  }
  for (const [op, operand] of Object.entries(value)) {
    const p = [...path, op];
    if (!OPERATORS.includes(op)) b.addIssue(p, `Unrecognized key(s) in object: '${op}'`, 'unrecognized_keys');
    else if (op === '$in') {
      if (!Array.isArray(operand) || operand.length === 0) b.addIssue(p, 'Array must contain at least 1 element(s)', 'too_small');
      else for (const [i, s] of operand.entries()) checkString(s, [...p, i]);
    } else if (op === '$glob') {
      if (typeof operand !== 'string' || !isValidGlob(operand)) b.addIssue(p, 'Invalid glob pattern');
    } else checkString(operand, p);
  }
}

/**
 * Validate `permissions` of a privilege request like ProjectPermissionV2Schema (422 issues on the
 * reader) and unpack it: `action` always an array.
 * @internal
 */
export function readPermissions(b: FieldReader, required: boolean, secretActions: readonly string[]): PermissionRule[] | undefined {
  const raw = b.raw('permissions');
  if (raw === undefined) {
    if (required) b.addIssue('permissions', 'Required', 'invalid_type', { expected: 'array', received: 'undefined' });
    return undefined;
  }
  if (!Array.isArray(raw)) {
    b.addIssue('permissions', 'Expected array', 'invalid_type', { expected: 'array' });
    return undefined;
  }
  return raw.map((item, i): PermissionRule => {
    const base: Path = ['permissions', i];
    const r = (item ?? {}) as Record<string, unknown>;
    const subject = typeof r.subject === 'string' ? r.subject : '';
    // The secrets actions a build knows differ by version (server-profile.ts).
    const allowed = subject === 'secrets' ? secretActions : ACTIONS[subject];
    if (!allowed)
      b.addIssue([...base, 'subject'], 'Invalid discriminator value', 'invalid_union_discriminator', { options: Object.keys(ACTIONS) });
    const action =
      typeof r.action === 'string' ? [r.action] : Array.isArray(r.action) ? r.action.filter((a): a is string => typeof a === 'string') : [];
    if (action.length === 0 || (Array.isArray(r.action) && action.length !== r.action.length)) {
      b.addIssue([...base, 'action'], 'Array must contain at least 1 element(s)', 'too_small');
    } else if (allowed) {
      for (const a of action)
        if (!allowed.includes(a))
          b.addIssue(
            [...base, 'action'],
            `Invalid enum value. Expected ${allowed.map((x) => `'${x}'`).join(' | ')}, received '${a}'`,
            'invalid_enum_value',
          );
    }
    const rule: PermissionRule = { subject, action };
    if (r.conditions !== undefined) {
      const keys = CONDITION_KEYS[subject] ?? [];
      if (!r.conditions || typeof r.conditions !== 'object' || Array.isArray(r.conditions)) {
        b.addIssue([...base, 'conditions'], 'Expected object', 'invalid_type');
      } else {
        for (const [key, value] of Object.entries(r.conditions)) {
          if (!keys.includes(key)) b.addIssue([...base, 'conditions'], `Unrecognized key(s) in object: '${key}'`, 'unrecognized_keys');
          else checkCondition(b, [...base, 'conditions', key], key, value);
        }
        rule.conditions = r.conditions as Record<string, unknown>;
      }
    }
    if (r.inverted !== undefined) {
      if (typeof r.inverted !== 'boolean') b.addIssue([...base, 'inverted'], 'Expected boolean', 'invalid_type');
      else rule.inverted = r.inverted;
    }
    return rule;
  });
}
