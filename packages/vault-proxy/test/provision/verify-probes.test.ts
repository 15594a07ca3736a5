import { createServer } from 'node:net';
import { REALISTIC_PERMISSION_CACHE_MS, SERVER_PROFILES } from '@raxx/vault-testkit';
import { describe, expect, it } from 'vitest';
import { onboardIdentity } from '../../src/provision/onboard.js';
import { verifyIdentity } from '../../src/provision/verify-identity.js';
import { failure } from '../support/failure.js';
import { useFakeVault } from './fake-vault-fixture.js';
import { AGENT, IDENTITY, onboardOptions } from './onboard-fixture.js';

// Where Step 10 probes: always folders that exist, so a 404 is never read as "can do more than read".
const fixture = useFakeVault();

const checkOf = (result: { checks: readonly { name: string }[] } | undefined, name: string) =>
  result?.checks.find((c) => c.name === name) as { name: string; outcome: string; actual?: number; detail: string };

/** A loopback URL nothing listens on. */
async function stoppedProxyUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe.each(SERVER_PROFILES)('verify probes — %s server', (server) => {
  it('skips the out-of-scope read when no folder outside the scope exists', async () => {
    const fake = await fixture.start({ server });
    const result = await onboardIdentity(onboardOptions({ scope: '/**', allowBroad: true, verify: true }), fake.env);
    expect(checkOf(result.verify, 'out-of-scope-read')).toMatchObject({
      outcome: 'skipped',
      detail: 'skipped: no out-of-scope folder exists in prod',
    });
    expect(result.verify?.ok).toBe(true);
  });

  it('reports a scope whose folder does not exist as "no secret in scope", never as too much access', async () => {
    const fake = await fixture.start({ server });
    const error = await failure(onboardIdentity(onboardOptions({ scope: '/MooseQuest/nothing-yet/**', verify: true }), fake.env));
    expect(error.code).toBe('VERIFY_FAILED');
    expect(error.message).toMatch(/no secret found in \/MooseQuest\/nothing-yet\/\*\* \(prod\); pass --probe-key\/--probe-path/);
    expect(error.message).toMatch(/not run: no folder of \/MooseQuest\/nothing-yet\/\*\* exists in prod/);
    expect(error.message).not.toMatch(/can do more than read/);
    expect(error.details.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'out-of-scope-read', actual: 403, outcome: 'pass' })]),
    );
  });

  it('fails an out-of-scope path that does not exist with a clear reason, not a blame', async () => {
    const fake = await fixture.start({ server });
    await onboardIdentity(onboardOptions(), fake.env);
    const error = await failure(verifyIdentity({ identityName: IDENTITY, agentName: AGENT, outOfScopePath: '/Gone' }, fake.env));
    expect(error.message).toMatch(/folder \/Gone does not exist in prod: pass --out-of-scope-path naming a folder that exists outside/);
    expect(error.message).not.toMatch(/can do more than read/);
  });
});

describe('verify on real-server deployments', () => {
  it('names the proxy and failure mode A when --proxy-url has nothing listening', async () => {
    const fake = await fixture.start();
    await onboardIdentity(onboardOptions(), fake.env);
    const url = await stoppedProxyUrl();
    const error = await failure(verifyIdentity({ identityName: IDENTITY, agentName: AGENT, proxyUrl: url }, fake.env));
    expect(error.code).toBe('VERIFY_FAILED');
    expect(error.message).toContain(`no answer from the proxy at ${url} (ECONNREFUSED): is it running?`);
    expect(error.message).toContain('Runbook failure mode A (docs/runbook.md §Failure mode A)');
  });

  it('passes with realistic permission caching (a brand-new identity is unaffected) and enforced capitalisation', async () => {
    const fake = await fixture.start({ permissionCacheMs: REALISTIC_PERMISSION_CACHE_MS, enforceCapitalization: true });
    const result = await onboardIdentity(onboardOptions({ verify: true }), fake.env);
    expect(result.verify?.checks.map((c) => c.actual)).toEqual([200, 200, 403, 403]);
  });

  it('refuses, before any change, a server without the v2 privilege routes', async () => {
    const fake = await fixture.start({ v2PrivilegeRoutes: false });
    const error = await failure(onboardIdentity(onboardOptions({ verify: true }), fake.env));
    expect(error.code).toBe('PROVISION_REFUSED');
    expect(error.details.step).toBe('project');
    expect(error.message).toMatch(/this Infisical server predates identity additional privileges/i);
    expect(error.message).not.toMatch(/rerun/);
    expect(fake.model.findIdentitiesByName(IDENTITY)).toEqual([]);
    const verify = await failure(
      verifyIdentity({ identityName: 'infisical-identity-mcp-main-loop-trademaster', agentName: 'mcp-ro' }, fake.env),
    );
    expect(verify.code).toBe('PROVISION_REFUSED');
  });
});
