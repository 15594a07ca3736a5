import { describe, expect, it } from 'vitest';
import { edgeHeaders, useMswVault } from './support/vault-client.js';

const vault = useMswVault();

describe('Cloudflare edge in front of every path', () => {
  it.each([
    ['no User-Agent', undefined],
    ['curl', 'curl/8.5.0'],
    ['axios (what @infisical/mcp sends)', 'axios/1.12.2'],
    ['python-requests', 'python-requests/2.32.3'],
    ['node fetch', 'node'],
    ['Go', 'Go-http-client/1.1'],
  ])('Bot Fight Mode challenges %s with a Cloudflare HTML page', async (_label, agent) => {
    const headers: Record<string, string> = { ...edgeHeaders(vault.model) };
    if (agent === undefined) delete headers['user-agent'];
    else headers['user-agent'] = agent;
    const r = await vault.client.call('GET', '/api/status', { edge: false, headers });
    expect(r.status).toBe(403);
    expect(r.headers.get('server')).toBe('cloudflare');
    expect(r.headers.get('cf-ray')).toMatch(/^[0-9a-f]{16}-[A-Z]{3}$/);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.text).toContain('Attention Required! | Cloudflare');
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('redirects a request without a service token to the Access login', async () => {
    const r = await vault.client.call('GET', '/api/v3/secrets/raw/X?environment=prod', {
      edge: false,
      headers: { 'user-agent': 'raxx-vault-proxy/1.0' },
    });
    expect(r.status).toBe(302);
    expect(r.headers.get('server')).toBe('cloudflare');
    const location = new URL(r.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://raxx.cloudflareaccess.com/cdn-cgi/access/login/vault.raxx.app');
    expect(location.searchParams.get('kid')).toMatch(/^[0-9a-f]{64}$/);
    expect(location.searchParams.get('redirect_url')).toBe('/api/v3/secrets/raw/X?environment=prod');
  });

  it.each([
    ['wrong secret', (h: Record<string, string>) => ({ ...h, 'cf-access-client-secret': 'f'.repeat(64) })],
    ['wrong id', (h: Record<string, string>) => ({ ...h, 'cf-access-client-id': 'deadbeef.access' })],
    [
      'id without secret',
      (h: Record<string, string>) => {
        const { 'cf-access-client-secret': _s, ...rest } = h;
        return rest;
      },
    ],
  ])('answers a %s with the Access 403 page, never reaching Infisical', async (_label, mutate) => {
    const r = await vault.client.call('GET', '/api/status', { edge: false, headers: mutate(edgeHeaders(vault.model)) });
    expect(r.status).toBe(403);
    expect(r.headers.get('server')).toBe('cloudflare');
    expect(r.headers.get('cf-ray')).toBeTruthy();
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.text).toContain('Forbidden');
    expect(r.text).not.toContain('"message"');
  });

  it('lets a valid service token through and sets a CF_Authorization cookie', async () => {
    const r = await vault.client.call('GET', '/api/status');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ message: 'Ok' });
    expect(Number.isNaN(Date.parse(r.body.date))).toBe(false);
    expect(r.headers.get('server')).toBe('cloudflare');
    expect(r.headers.get('set-cookie')).toMatch(/^CF_Authorization=[^;]+; Path=\/; Secure; HttpOnly; SameSite=None$/);
  });

  it('admits a request carrying a CF_Authorization cookie it issued, but not a forged one', async () => {
    const first = await vault.client.call('GET', '/api/status');
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const ok = await vault.client.call('GET', '/api/status', { edge: false, headers: { 'user-agent': 'raxx-test/1', cookie } });
    expect(ok.status).toBe(200);
    const forged = await vault.client.call('GET', '/api/status', {
      edge: false,
      headers: { 'user-agent': 'raxx-test/1', cookie: 'CF_Authorization=forged' },
    });
    expect(forged.status).toBe(302);
  });

  it('gates unknown paths too, which then get Fastify 404', async () => {
    expect((await vault.client.call('GET', '/nowhere', { edge: false, headers: { 'user-agent': 'x/1' } })).status).toBe(302);
    const r = await vault.client.call('DELETE', '/api/v9/nowhere');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ message: 'Route DELETE:/api/v9/nowhere not found', error: 'Not Found', statusCode: 404 });
  });

  it('uses fresh random Cloudflare credentials per model', async () => {
    const { createVaultModel } = await import('../src/index.js');
    const a = createVaultModel().seed;
    const b = createVaultModel().seed;
    expect(a.cfAccessClientId).toMatch(/^[0-9a-f]{32}\.access$/);
    expect(a.cfAccessClientSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(a.cfAccessClientId).not.toBe(b.cfAccessClientId);
    expect(a.admin.clientSecret).not.toBe(b.admin.clientSecret);
  });
});
