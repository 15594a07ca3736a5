import { describe, expect, it } from 'vitest';
import { isValidGlob, matchesGlob } from '../src/model/glob.js';
import { normalizePath } from '../src/model/paths.js';
import { can, type PermissionRule } from '../src/model/permissions.js';

describe('glob', () => {
  it.each([
    ['/MooseQuest', '/MooseQuest/**', true],
    ['/MooseQuest/app', '/MooseQuest/**', true],
    ['/MooseQuest/a/b/c', '/MooseQuest/**', true],
    ['/MooseQuestX', '/MooseQuest/**', false],
    ['/Ops', '/MooseQuest/**', false],
    ['/', '/MooseQuest/**', false],
    ['/api/v1/identities', '/api/v1/identities*', true],
    ['/api/v1/identities/abc', '/api/v1/identities/*', true],
    ['/api/v1/identities/abc/x', '/api/v1/identities/*', false],
    ['/a/x/b', '/a/**/b', true],
    ['/a/b', '/a/**/b', true],
    ['/app', '/{app,ops}', true],
    ['/a.b', '/a.b', true],
    ['/axb', '/a.b', false],
    ['/f1', '/f?', true],
  ])('%s against %s → %s', (value, glob, expected) => {
    expect(matchesGlob(value, glob)).toBe(expected);
  });

  it('recognises malformed globs', () => {
    expect(isValidGlob('/a/{b')).toBe(false);
    expect(isValidGlob('/a/[b')).toBe(false);
    expect(isValidGlob('')).toBe(false);
    expect(isValidGlob('/MooseQuest/**')).toBe(true);
  });
});

describe('paths', () => {
  it.each([
    ['/MooseQuest/', '/MooseQuest'],
    ['MooseQuest', '/MooseQuest'],
    ['//a//b/', '/a/b'],
    ['/', '/'],
    [undefined, '/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });
});

describe('CASL evaluation', () => {
  const scoped: PermissionRule[] = [
    { subject: 'secrets', action: ['read'], conditions: { environment: 'prod', secretPath: { $glob: '/MooseQuest/**' } } },
  ];

  it('maps legacy read onto describeSecret and readValue only', () => {
    const f = { environment: 'prod', secretPath: '/MooseQuest/app', secretName: 'K' };
    expect(can(scoped, 'describeSecret', 'secrets', f)).toBe(true);
    expect(can(scoped, 'readValue', 'secrets', f)).toBe(true);
    for (const action of ['create', 'edit', 'delete']) expect(can(scoped, action, 'secrets', f)).toBe(false);
    expect(can(scoped, 'read', 'secret-folders', f)).toBe(false);
  });

  it('supports $eq, $ne, $in and lets the last matching rule win', () => {
    const rules: PermissionRule[] = [
      { subject: 'secrets', action: ['read'], conditions: { environment: { $in: ['dev', 'staging'] }, secretPath: { $ne: '/Ops' } } },
      { subject: 'secrets', action: ['read'], inverted: true, conditions: { environment: { $eq: 'staging' }, secretName: 'ROOT' } },
    ];
    expect(can(rules, 'readValue', 'secrets', { environment: 'dev', secretPath: '/a', secretName: 'ROOT' })).toBe(true);
    expect(can(rules, 'readValue', 'secrets', { environment: 'staging', secretPath: '/a', secretName: 'ROOT' })).toBe(false);
    expect(can(rules, 'readValue', 'secrets', { environment: 'staging', secretPath: '/a', secretName: 'OTHER' })).toBe(true);
    expect(can(rules, 'readValue', 'secrets', { environment: 'dev', secretPath: '/Ops', secretName: 'X' })).toBe(false);
    expect(can(rules, 'readValue', 'secrets', { environment: 'prod', secretPath: '/a', secretName: 'X' })).toBe(false);
  });

  it('knows no `$neq` (the server spells it $ne): a rule using it matches nothing', () => {
    const rules: PermissionRule[] = [{ subject: 'secrets', action: ['read'], conditions: { secretPath: { $neq: '/Ops' } } }];
    expect(can(rules, 'readValue', 'secrets', { environment: 'prod', secretPath: '/a', secretName: 'X' })).toBe(false);
  });

  it('treats manage/all as everything', () => {
    expect(can([{ subject: 'all', action: ['manage'] }], 'delete', 'identity', { identityId: 'x' })).toBe(true);
    expect(can([], 'read', 'secrets')).toBe(false);
  });
});
