import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVault, startFakeVault } from '../src/index.js';
import { FAKE_VAULT_ENV_KEYS } from './support/fake-vault-env.js';
import { requestVault, USER_AGENT } from './support/vault-client.js';

let vault: FakeVault;
beforeAll(async () => {
  vault = await startFakeVault();
});
afterAll(() => vault.close());

const edge = () => ({
  'user-agent': USER_AGENT,
  'cf-access-client-id': vault.env.CF_ACCESS_CLIENT_ID ?? '',
  'cf-access-client-secret': vault.env.CF_ACCESS_CLIENT_SECRET ?? '',
});

describe('startFakeVault over real loopback HTTPS', () => {
  it('describes itself: loopback, ephemeral port, CA file and the env-file keys', () => {
    expect(vault.origin).toBe('https://vault.raxx.app');
    expect(vault.host).toBe('127.0.0.1');
    expect(vault.connectTo).toBe(`127.0.0.1:${vault.port}`);
    expect(readFileSync(vault.caFile, 'utf8')).toBe(vault.caCert);
    expect(Object.keys(vault.env).sort()).toEqual([...FAKE_VAULT_ENV_KEYS]);
    expect(vault.env).toMatchObject({
      VAULT_PROXY_UPSTREAM: vault.origin,
      VAULT_PROXY_CONNECT_TO: vault.connectTo,
      VAULT_PROXY_CA_FILE: vault.caFile,
      INFISICAL_PROJECT_ID: '29b77751-f761-4afa-b3fa-2c842988f95c',
      VAULT_PROBE_KEY: 'DEMO_API_KEY',
      VAULT_PROBE_PATH: '/MooseQuest/app',
    });
  });

  it('plays the Cloudflare gate on the wire', async () => {
    const bot = await requestVault(vault, 'GET', '/api/status', { headers: { 'user-agent': 'axios/1.12.2' } });
    expect(bot.status).toBe(403);
    expect(bot.headers.server).toBe('cloudflare');
    expect(bot.text).toContain('Attention Required! | Cloudflare');
    const anon = await requestVault(vault, 'GET', '/api/status', { headers: { 'user-agent': USER_AGENT } });
    expect(anon.status).toBe(302);
    expect(anon.headers.location).toMatch(/^https:\/\/raxx\.cloudflareaccess\.com\/cdn-cgi\/access\/login\/vault\.raxx\.app\?/);
    const ok = await requestVault(vault, 'GET', '/api/status', { headers: edge() });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({ message: 'Ok' });
    expect(ok.headers['set-cookie']).toEqual([expect.stringMatching(/^CF_Authorization=.+; Path=\/; Secure; HttpOnly; SameSite=None$/)]);
  });

  it('answers a Host that is not the vault with a Cloudflare 403 (the proxy must rewrite Host)', async () => {
    const r = await requestVault(vault, 'GET', '/api/status', { headers: { ...edge(), host: `127.0.0.1:${vault.port}` } });
    expect(r.status).toBe(403);
    expect(r.text).toContain('Direct IP access not allowed');
  });

  it('logs in and reads the probe secret, recording every request with its headers', async () => {
    const before = vault.requests.length;
    const login = await requestVault(vault, 'POST', '/api/v1/auth/universal-auth/login', {
      headers: edge(),
      body: { clientId: vault.env.INFISICAL_MCP_CLIENT_ID, clientSecret: vault.env.INFISICAL_MCP_CLIENT_SECRET },
    });
    expect(login.status).toBe(200);
    const { accessToken } = JSON.parse(login.text);
    const path = `/api/v3/secrets/raw/${vault.env.VAULT_PROBE_KEY}?workspaceId=${vault.env.INFISICAL_PROJECT_ID}&environment=prod&secretPath=${encodeURIComponent(vault.env.VAULT_PROBE_PATH ?? '')}`;
    const secret = await requestVault(vault, 'GET', path, { headers: { ...edge(), authorization: `Bearer ${accessToken}` } });
    expect(secret.status).toBe(200);
    const expected = vault.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'DEMO_API_KEY' });
    expect(JSON.parse(secret.text).secret.secretValue).toBe(expected?.value);
    const recorded = vault.requests.slice(before);
    expect(recorded.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/auth/universal-auth/login', `GET ${path}`]);
    expect(recorded[1]?.headers).toMatchObject({
      host: 'vault.raxx.app',
      'user-agent': USER_AGENT,
      'cf-access-client-id': vault.env.CF_ACCESS_CLIENT_ID,
    });
  });

  it('applies faults on the wire: N failures then recovery, and a reset socket', async () => {
    vault.faults.add({ method: 'GET', path: '/api/status', status: 503, times: 1 });
    const failed = await requestVault(vault, 'GET', '/api/status', { headers: edge() });
    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.text)).toMatchObject({ statusCode: 503, error: 'InternalServerError' });
    expect((await requestVault(vault, 'GET', '/api/status', { headers: edge() })).status).toBe(200);
    vault.faults.add({ path: '/api/status', reset: true, times: 1 });
    await expect(requestVault(vault, 'GET', '/api/status', { headers: edge() })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await requestVault(vault, 'GET', '/api/status', { headers: edge() })).status).toBe(200);
  });

  it('removes its CA file on close and can be closed twice', async () => {
    const other = await startFakeVault({ model: vault.model });
    expect(other.port).not.toBe(vault.port);
    expect(other.env.CF_ACCESS_CLIENT_SECRET).toBe(vault.env.CF_ACCESS_CLIENT_SECRET);
    await other.close();
    await other.close();
    expect(existsSync(other.caFile)).toBe(false);
  });
});
