import { type FakeVault, startFakeVault } from '@raxx/vault-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getProxyStatus } from '../../src/process/index.js';
import { createProxy, type ProxyHandle } from '../../src/proxy/create-proxy.js';
import type { ProxyOptions } from '../../src/proxy/proxy-options.js';
import { send } from '../support/http-client.js';
import { delay } from '../support/proxy-fixture.js';

// Token renewal (docs/architecture.md §Token renewal) against the fake vault,
// whose tokens expire as Infisical's do: a 403 `TokenError` once `exp` has
// passed (backend/src/server/plugins/auth/inject-identity.ts via the fake
// vault's access-tokens model), and no way to extend one but a new login.

let vault: FakeVault;
let proxy: ProxyHandle;
let base: string;
const logs: string[] = [];
const LOGIN = '/api/v1/auth/universal-auth/login';

function identityOfToken(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { identityId: string };
  return payload.identityId;
}

async function start(overrides: ProxyOptions = {}, env: Record<string, string> = {}): Promise<void> {
  proxy = createProxy({ port: 0, logLevel: 'debug', logSink: (l) => logs.push(l), ...overrides }, { ...vault.env, ...env });
  base = (await proxy.listen()).url;
}

async function login(clientId: string, clientSecret: string): Promise<{ accessToken: string; expiresIn: number }> {
  const res = await send(base, LOGIN, {
    method: 'POST',
    headers: ['Content-Type', 'application/json'],
    body: JSON.stringify({ clientId, clientSecret }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

function readProbe(token: string, method = 'GET') {
  const { seed } = vault.model;
  const q = new URLSearchParams({ workspaceId: seed.projectId, environment: 'prod', secretPath: seed.probe.path });
  return send(base, `/api/v3/secrets/raw/${seed.probe.key}?${q}`, { method, headers: ['Authorization', `Bearer ${token}`] });
}

/** The bearer tokens the vault received, in order, for requests other than logins. */
function tokensSeen(from: number): string[] {
  return vault.requests
    .slice(from)
    .filter((r) => r.path !== LOGIN && r.headers.authorization)
    .map((r) => (r.headers.authorization as string).slice(7));
}

function loginsSeen(from: number): number {
  return vault.requests.slice(from).filter((r) => r.path === LOGIN).length;
}

function health() {
  return send(base, '/__vault-proxy/health').then((r) => r.json<{ tokenRenewal: Record<string, unknown> }>().tokenRenewal);
}

beforeAll(async () => {
  vault = await startFakeVault();
});
afterEach(async () => {
  await proxy?.close();
});
afterAll(async () => {
  await vault?.close();
  // Canary sweep: no log line at debug level ever held a client secret or a CF token.
  const { seed } = vault.model;
  for (const secret of [seed.mcp.clientSecret, seed.admin.clientSecret, seed.cfAccessClientSecret]) {
    for (const line of logs) expect(line).not.toContain(secret);
  }
  for (const line of logs) expect(line).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
});

describe('token renewal', () => {
  it('renews an expired token of an identity that logged in through the proxy and sends the read again', async () => {
    await start();
    const { mcp } = vault.model.seed;
    const { accessToken } = await login(mcp.clientId, mcp.clientSecret);
    expect((await readProbe(accessToken)).status).toBe(200);

    const mark = vault.requests.length;
    vault.model.advanceTime(3601 * 1000); // past the seeded 3600 s TTL: the vault now refuses the token
    const res = await readProbe(accessToken);
    expect(res.status).toBe(200);
    expect(res.json<{ secret: { secretKey: string } }>().secret.secretKey).toBe(vault.model.seed.probe.key);
    expect(loginsSeen(mark)).toBe(1);
    const [refused, retried] = tokensSeen(mark);
    expect(refused).toBe(accessToken);
    expect(retried).not.toBe(accessToken);
    expect(identityOfToken(retried as string)).toBe(mcp.identityId);
    expect(logs.some((l) => l.includes('GET /api/v3/secrets/raw/') && l.includes('token-renewed'))).toBe(true);

    // The client keeps its old token: later reads go out with the renewed one, with no second login.
    const again = vault.requests.length;
    expect((await readProbe(accessToken)).status).toBe(200);
    expect(loginsSeen(again)).toBe(0);
    expect(tokensSeen(again)).toEqual([retried]);
    expect(await health()).toMatchObject({ enabled: true, identities: 1, renewals: 1 });
    // What `vault-proxy status` shows: counts and a time, nothing that identifies anyone.
    const status = await getProxyStatus({ port: Number(new URL(base).port), pidFile: '/nonexistent/vault-proxy.pid' });
    expect(status.tokenRenewal).toEqual({ enabled: true, identities: 1, renewals: 1, lastRenewalAt: expect.any(String) });
    expect(JSON.stringify(status)).not.toContain(mcp.clientId);
  });

  it('lasts a working day and more: forty token lifetimes later the client’s first token still reads', async () => {
    await start();
    const { mcp } = vault.model.seed;
    const { accessToken } = await login(mcp.clientId, mcp.clientSecret);
    const mark = vault.requests.length;
    for (let hour = 1; hour <= 40; hour++) {
      vault.model.advanceTime(3601 * 1000); // the runbook's TTL (3600 s); its max TTL (7200 s) is long gone after hour 2
      expect((await readProbe(accessToken)).status, `hour ${hour}`).toBe(200);
    }
    expect(loginsSeen(mark)).toBe(40);
    expect(await health()).toMatchObject({ identities: 1, renewals: 40 });
  });

  it('renews ahead of expiry, so a short-lived token never reaches the vault expired', async () => {
    await start();
    const { admin, mcp } = vault.model.seed;
    const adminToken = (await login(admin.clientId, admin.clientSecret)).accessToken;
    const patch = await send(base, `/api/v1/auth/universal-auth/identities/${mcp.identityId}`, {
      method: 'PATCH',
      headers: ['Authorization', `Bearer ${adminToken}`, 'Content-Type', 'application/json'],
      body: JSON.stringify({ accessTokenTTL: 2, accessTokenMaxTTL: 4 }),
    });
    expect(patch.status).toBe(200);
    try {
      const { accessToken, expiresIn } = await login(mcp.clientId, mcp.clientSecret);
      expect(expiresIn).toBe(2);
      // Renewal is due a quarter of the lifetime before expiry (1.5 s), and the login past the max TTL still works.
      for (const wait of [1600, 1600, 1600]) {
        await delay(wait);
        const mark = vault.requests.length;
        expect((await readProbe(accessToken)).status).toBe(200);
        expect(loginsSeen(mark)).toBe(1);
        const [sent] = tokensSeen(mark);
        expect(sent).not.toBe(accessToken);
        expect(identityOfToken(sent as string)).toBe(mcp.identityId);
        // Renewed before sending, so the vault never refused anything.
        expect(vault.requests.slice(mark).filter((r) => r.path !== LOGIN)).toHaveLength(1);
      }
      expect((await health()).renewals).toBe(3);
    } finally {
      await send(base, `/api/v1/auth/universal-auth/identities/${mcp.identityId}`, {
        method: 'PATCH',
        headers: [
          'Authorization',
          `Bearer ${(await login(admin.clientId, admin.clientSecret)).accessToken}`,
          'Content-Type',
          'application/json',
        ],
        body: JSON.stringify({ accessTokenTTL: 3600, accessTokenMaxTTL: 7200 }),
      });
    }
  });

  it('never sends a request with a body twice: an expired POST gets the vault’s refusal, the next read is renewed', async () => {
    await start();
    const { admin } = vault.model.seed;
    const { accessToken } = await login(admin.clientId, admin.clientSecret);
    vault.model.advanceTime(7201 * 1000);
    const mark = vault.requests.length;
    const { seed } = vault.model;
    const post = await send(base, '/api/v3/secrets/raw/RENEWAL_TEST', {
      method: 'POST',
      headers: ['Authorization', `Bearer ${accessToken}`, 'Content-Type', 'application/json'],
      body: JSON.stringify({ workspaceId: seed.projectId, environment: 'dev', secretPath: '/Ops', secretValue: 'x' }),
    });
    expect(post.status).toBe(403);
    expect(post.json<{ error: string }>().error).toBe('TokenError');
    expect(vault.requests.slice(mark).map((r) => r.method)).toEqual(['POST']);
    // The keeper learnt nothing from the relayed refusal; the next bodyless read renews and goes through.
    expect((await readProbe(accessToken)).status).toBe(200);
    expect(loginsSeen(mark)).toBe(1);
  });

  it('keeps identities apart: each token is only ever replaced by a newer token of its own identity', async () => {
    await start();
    const { admin, mcp } = vault.model.seed;
    const mcpToken = (await login(mcp.clientId, mcp.clientSecret)).accessToken;
    const adminToken = (await login(admin.clientId, admin.clientSecret)).accessToken;
    vault.model.advanceTime(7201 * 1000);
    const mark = vault.requests.length;
    expect((await readProbe(mcpToken)).status).toBe(200);
    expect((await readProbe(adminToken)).status).toBe(200);
    const sent = tokensSeen(mark);
    expect(sent.map(identityOfToken)).toEqual([mcp.identityId, mcp.identityId, admin.identityId, admin.identityId]);
    expect(await health()).toMatchObject({ identities: 2, renewals: 2 });
  });

  it('leaves alone a token it did not see issued, a failed login, and a refusal that is not about the token', async () => {
    await start();
    const { mcp, outOfScopePath, projectId } = vault.model.seed;
    const wrong = await send(base, LOGIN, {
      method: 'POST',
      headers: ['Content-Type', 'application/json'],
      body: JSON.stringify({ clientId: mcp.clientId, clientSecret: 'not-the-secret' }),
    });
    expect(wrong.status).toBe(401);
    expect((await health()).identities).toBe(0);

    const stranger = await readProbe('eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2ln');
    expect(stranger.status).toBe(403);
    expect(stranger.json<{ error: string }>().error).toBe('TokenError');

    const { accessToken } = await login(mcp.clientId, mcp.clientSecret);
    const mark = vault.requests.length;
    const q = new URLSearchParams({ workspaceId: projectId, environment: 'prod', secretPath: outOfScopePath });
    const denied = await send(base, `/api/v3/secrets/raw/${vault.model.seed.probe.key}?${q}`, {
      headers: ['Authorization', `Bearer ${accessToken}`],
    });
    expect(denied.status).toBe(403);
    expect(denied.json<{ error: string }>().error).toBe('PermissionDenied');
    expect(loginsSeen(mark)).toBe(0);
    expect(vault.requests.length - mark).toBe(1);
  });

  it.each([
    ['renewTokens: false', { renewTokens: false }, {}],
    ['VAULT_PROXY_RENEW_TOKENS=false', {}, { VAULT_PROXY_RENEW_TOKENS: 'false' }],
  ] as const)('is off with %s: the refusal reaches the client', async (_name, options, env) => {
    await start(options, env);
    const { mcp } = vault.model.seed;
    const { accessToken } = await login(mcp.clientId, mcp.clientSecret);
    vault.model.advanceTime(3601 * 1000);
    const mark = vault.requests.length;
    const res = await readProbe(accessToken);
    expect(res.status).toBe(403);
    expect(res.json<{ error: string }>().error).toBe('TokenError');
    expect(loginsSeen(mark)).toBe(0);
    expect(await health()).toMatchObject({ enabled: false, renewals: 0 });
  });
  it.each(['debug', 'info', 'warn', 'error'].flatMap((level) => ['pretty', 'json'].map((format) => [level, format])))(
    'logs no credential or token at level %s (%s), renewals included',
    async (logLevel, logFormat) => {
      const lines: string[] = [];
      proxy = createProxy(
        { port: 0, logLevel: logLevel as 'debug', logFormat: logFormat as 'json', logSink: (l) => lines.push(l) },
        vault.env,
      );
      base = (await proxy.listen()).url;
      const { mcp } = vault.model.seed;
      const { accessToken } = await login(mcp.clientId, mcp.clientSecret);
      vault.model.advanceTime(3601 * 1000);
      expect((await readProbe(accessToken)).status).toBe(200);
      await send(base, LOGIN, {
        method: 'POST',
        headers: ['Content-Type', 'application/json'],
        body: JSON.stringify({ clientId: mcp.clientId, clientSecret: 'wrong-secret-canary-5f1e' }),
      });
      await proxy.close();
      const text = lines.join('\n');
      if (logLevel === 'debug' || logLevel === 'info')
        expect(text).toContain(logFormat === 'json' ? '"tokenRenewed":true' : 'token-renewed');
      for (const secret of [mcp.clientSecret, accessToken, vault.model.seed.cfAccessClientSecret, 'wrong-secret-canary-5f1e']) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    },
  );
});
