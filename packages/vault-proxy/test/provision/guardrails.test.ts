import { describe, expect, it } from 'vitest';
import type { VaultProxyError } from '../../src/errors.js';
import { agentKeyPrefix, slugify } from '../../src/identity/identity-names.js';
import { isValidSlug, scopeMatches } from '../../src/provision/guardrails.js';
import { onboardIdentity, planOnboarding } from '../../src/provision/onboard.js';
import type { OnboardOptions } from '../../src/provision/onboard-options.js';
import { useMswVault } from '../infisical/msw-vault.js';
import { failure } from '../support/failure.js';
import { envOf, onboardOptions } from './onboard-fixture.js';

const vault = useMswVault();

async function refusal(options: OnboardOptions, env = envOf(vault.model)): Promise<VaultProxyError> {
  const error = await failure(onboardIdentity(onboardOptions(options), env));
  // Refused before the first call: nothing went over the wire.
  expect(vault.exchanges).toEqual([]);
  return error;
}

describe('guardrails refuse before any call', () => {
  it.each([
    ['/', 'the vault root'],
    ['/**', 'everything'],
    ['/*', 'every top folder'],
    ['/MooseQuest/**', 'the whole root'],
    ['/MooseQuest/*', 'every folder of the root'],
    ['/MooseQuest/*/config', 'a glob at root level'],
  ])('refuses the broad scope %s (%s) unless allowBroad', async (scope) => {
    const error = await refusal({ scope });
    expect(error.code).toBe('PROVISION_REFUSED');
    expect(error.details.field).toBe('scope');
    expect(error.message).toMatch(/too broad|whole vault/);
    const allowed = await planOnboarding(onboardOptions({ scope, allowBroad: true }), envOf(vault.model));
    expect(allowed.steps.find((s) => s.id === 'privilege')?.detail).toContain(scope.length > 1 ? scope.replace(/\/$/, '') : scope);
  });

  it.each(['/Ops/**', '/Other', '/MooseQuestX/app/**'])('refuses %s outside the root', async (scope) => {
    const error = await refusal({ scope });
    expect(error.details.field).toBe('scope');
    expect(error.message).toMatch(/outside the configured root/);
  });

  it.each(['MooseQuest/app/**', '/MooseQuest/../Ops/**', '/MooseQuest//app', '/MooseQuest/{a,b}/**', '/MooseQuest/a**'])(
    'refuses the malformed scope %s even with allowBroad',
    async (scope) => {
      const error = await refusal({ scope, allowBroad: true });
      expect(error.details.field).toBe('scope');
    },
  );

  it.each([[['write']], [['read', 'create']], [['edit']], [['delete']], [[]]])(
    'refuses actions %j, even with allowBroad',
    async (actions) => {
      const error = await refusal({ actions, allowBroad: true });
      expect(error.code).toBe('PROVISION_REFUSED');
      expect(error.details.field).toBe('actions');
    },
  );

  it.each([
    [{ identityName: '' }, 'identityName'],
    [{ identityName: 'has space' }, 'identityName'],
    [{ identityName: 'a/b' }, 'identityName'],
    [{ agentName: '9lives' }, 'agentName'],
    [{ agentName: 'a:b' }, 'agentName'],
    [{ slug: 'Not_A_Slug' }, 'slug'],
    [{ slug: '-lead' }, 'slug'],
    [{ environment: 'Prod Env' }, 'environment'],
    [{ credsPath: 'relative/path' }, 'credsPath'],
    [{ credsPath: '/MooseQuest/**' }, 'credsPath'],
    [{ accessTokenTTL: 9000 }, 'accessTokenTTL'],
    [{ accessTokenTTL: 0 }, 'accessTokenTTL'],
    [{ probePath: '/MooseQuest/app' }, 'probePath'],
    [{ proxyUrl: 'http://example.com:2019' }, 'proxyUrl'],
  ] as Array<[OnboardOptions, string]>)('refuses %j naming %s', async (options, field) => {
    const error = await refusal(options);
    expect(error.code).toBe('PROVISION_REFUSED');
    expect(error.details.field).toBe(field);
  });

  it('names a missing environment variable, never a value', async () => {
    const env = envOf(vault.model);
    delete (env as Record<string, string | undefined>).INFISICAL_CLIENT_SECRET;
    const error = await refusal({}, env);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details.field).toBe('INFISICAL_CLIENT_SECRET');
    const wrongUrl = await refusal({ upstream: 'http://vault.raxx.app' });
    expect(wrongUrl.code).toBe('CONFIG_INVALID');
    expect(wrongUrl.message).not.toContain(vault.model.seed.admin.clientSecret);
  });
});

describe('guardrail helpers', () => {
  it('slugifies to Infisical’s rule and checks it', () => {
    expect(slugify('MCP_RO-read')).toBe('mcp-ro-read');
    expect(slugify('--A  b--')).toBe('a-b');
    expect(isValidSlug('mcp-ro-read')).toBe(true);
    expect(isValidSlug('mcp--ro')).toBe(false);
    expect(isValidSlug('x'.repeat(61))).toBe(false);
  });

  it('upper-snakes the agent name for stored keys', () => {
    expect(agentKeyPrefix('mcp-ro')).toBe('MCP_RO');
    expect(agentKeyPrefix('Main_Loop-2')).toBe('MAIN_LOOP_2');
  });

  it('matches folder paths against scope globs like picomatch', () => {
    expect(scopeMatches('/MooseQuest/app/**', '/MooseQuest/app')).toBe(true);
    expect(scopeMatches('/MooseQuest/app/**', '/MooseQuest/app/a/b')).toBe(true);
    expect(scopeMatches('/MooseQuest/app/**', '/MooseQuest/apple')).toBe(false);
    expect(scopeMatches('/MooseQuest/**', '/')).toBe(false);
    expect(scopeMatches('/**', '/')).toBe(true);
    expect(scopeMatches('/MooseQuest/*', '/MooseQuest')).toBe(false);
    expect(scopeMatches('/MooseQuest/ap?', '/MooseQuest/app')).toBe(true);
    expect(scopeMatches('/MooseQuest/app', '/MooseQuest/app/')).toBe(true);
  });
});
