import { type FakeVault, proxyFleet, startFakeVault } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyVaultStatus, probeVaultStatus } from '../../src/process/index.js';
import { createProxy } from '../../src/proxy/create-proxy.js';
import { freePort } from '../doctor/doctor-fixture.js';

const WRONG_CF_SECRET = 'wrong-cf-secret-canary-4b3a2918';
let vault: FakeVault;
const fleet = proxyFleet(createProxy, () => vault.env);
const proxyWith = fleet.start;

beforeAll(async () => {
  vault = await startFakeVault({ port: 0 });
});
afterAll(async () => {
  await fleet.closeAll();
  await vault.close();
});

describe('probeVaultStatus: /api/status through a proxy, classified once', () => {
  it('reachable when proxy, Cloudflare Access and Infisical all answer', async () => {
    const vaultStatus = await probeVaultStatus({ host: '127.0.0.1', port: await proxyWith() });
    expect(vaultStatus).toMatchObject({ state: 'reachable', ok: true, httpStatus: 200 });
    expect(vaultStatus.fix).toBeUndefined();
    expect(vaultStatus.failureMode).toBeUndefined();
  });

  it('failure mode B when Cloudflare refuses the proxy’s token (the proxy’s own CF_ACCESS_DENIED), naming the fix', async () => {
    const port = await proxyWith({ cfAccessClientSecret: WRONG_CF_SECRET });
    const vaultStatus = await probeVaultStatus({ host: '127.0.0.1', port });
    expect(vaultStatus).toMatchObject({
      state: 'cloudflare-refused',
      ok: false,
      failureMode: 'B',
      httpStatus: 403,
      error: 'CF_ACCESS_DENIED',
    });
    expect(vaultStatus.detail).toContain('failure mode B');
    expect(vaultStatus.fix).toContain('CF_ACCESS_CLIENT_SECRET');
    expect(JSON.stringify(vaultStatus)).not.toContain(WRONG_CF_SECRET);
    expect(JSON.stringify(vaultStatus)).not.toContain(vault.env.CF_ACCESS_CLIENT_SECRET);
  });

  it('vault unreachable (502 UPSTREAM_UNREACHABLE) when the vault host does not answer', async () => {
    const port = await proxyWith({ connectTo: `127.0.0.1:${await freePort()}` });
    const vaultStatus = await probeVaultStatus({ host: '127.0.0.1', port });
    expect(vaultStatus).toMatchObject({ state: 'vault-unreachable', ok: false, httpStatus: 502, error: 'UPSTREAM_UNREACHABLE' });
    expect(vaultStatus.failureMode).toBeUndefined();
    expect(vaultStatus.fix).toContain('unreachable');
  });

  it('no answer when nothing listens, within the timeout it was given', async () => {
    const vaultStatus = await probeVaultStatus({ host: '127.0.0.1', port: await freePort(), timeoutMs: 500 });
    expect(vaultStatus).toMatchObject({ state: 'no-answer', ok: false });
    expect(vaultStatus.detail).toContain('within 500 ms');
  });
});

describe('classifyVaultStatus', () => {
  it('reads the proxy’s codes and statuses, never more', () => {
    expect(classifyVaultStatus({ status: 403, cloudflare: false, error: 'CF_ACCESS_LOGIN_REDIRECT' })).toMatchObject({
      state: 'cloudflare-refused',
      failureMode: 'B',
    });
    expect(classifyVaultStatus({ status: 403, cloudflare: false, error: 'CF_ACCESS_LOGIN_REDIRECT' }).detail).toContain('login redirect');
    // A relayed edge page (an older proxy) is failure mode B too.
    expect(classifyVaultStatus({ status: 403, cloudflare: true })).toMatchObject({ state: 'cloudflare-refused', failureMode: 'B' });
    const timeout = classifyVaultStatus({ status: 504, cloudflare: false, error: 'UPSTREAM_TIMEOUT', hint: 'raise the timeout' });
    expect(timeout).toMatchObject({ state: 'vault-unreachable', error: 'UPSTREAM_TIMEOUT', fix: 'raise the timeout' });
    expect(classifyVaultStatus({ status: 500, cloudflare: false })).toMatchObject({ state: 'unexpected', ok: false, httpStatus: 500 });
  });
});
