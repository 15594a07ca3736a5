import { type FakeVault, startFakeVault } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxy, type ProxyHandle } from '../../src/proxy/create-proxy.js';
import { send } from '../support/http-client.js';

let vault: FakeVault;
const proxies: ProxyHandle[] = [];

/** A proxy configured from the fake vault's env file keys, the way the CLI reads them. */
async function proxyFor(env: Record<string, string>, logs: string[]): Promise<string> {
  const proxy = createProxy({ port: 0, logSink: (l) => logs.push(l) }, env);
  proxies.push(proxy);
  return (await proxy.listen()).url;
}

beforeAll(async () => {
  vault = await startFakeVault();
});
afterAll(async () => {
  for (const p of proxies) await p.close();
  await vault?.close();
});

describe('against the testkit fake vault (Cloudflare Access gate + Infisical)', () => {
  it('gets /api/status through the gate with the injected service token', async () => {
    const url = await proxyFor(vault.env, []);
    const res = await send(url, '/api/status');
    expect(res.status).toBe(200);
    expect(res.json<{ message: string }>().message).toBe('Ok');
  });

  it('passes the gate’s 403 on for a wrong token and logs failure mode B', async () => {
    const logs: string[] = [];
    const url = await proxyFor({ ...vault.env, CF_ACCESS_CLIENT_SECRET: 'wrong-token-value' }, logs);
    const res = await send(url, '/api/status');
    expect(res.status).toBe(403);
    expect(logs.some((l) => l.includes('WARN') && l.includes('failure mode B'))).toBe(true);
    for (const line of logs) expect(line).not.toContain('wrong-token-value');
  });
});
