import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoUpstream, startEchoUpstream } from '../support/echo-upstream.js';
import { send } from '../support/http-client.js';
import { type ProxyFixture, startProxy } from '../support/proxy-fixture.js';

let upstream: EchoUpstream;
let fx: ProxyFixture;

const CF_PAGE = '<!DOCTYPE html><html><head><title>Forbidden</title></head><body>Cloudflare Access: Forbidden</body></html>';

beforeAll(async () => {
  upstream = await startEchoUpstream();
  upstream.route('/cf-403', (_req, res) => {
    res.writeHead(403, { server: 'cloudflare', 'cf-ray': '8f00aa11bb22cc33-AMS', 'content-type': 'text/html' });
    res.end(CF_PAGE);
  });
  upstream.route('/rbac-403', (_req, res) => {
    res.writeHead(403, { server: 'cloudflare', 'cf-ray': '8f00aa11bb22cc34-AMS', 'content-type': 'application/json' });
    res.end('{"statusCode":403,"error":"PermissionDenied","message":"You are not allowed to read on secrets"}');
  });
  for (const status of [301, 302, 303, 307, 308]) {
    upstream.route(`/login-${status}`, (_req, res) => {
      res.writeHead(status, {
        location: 'https://raxx.cloudflareaccess.com/cdn-cgi/access/login/vault.raxx.app?kid=abc&redirect_url=%2Fapi%2Fstatus',
        'set-cookie': 'CF_Authorization=eyJhbGciOiJSUzI1NiJ9.x.y; Path=/; HttpOnly',
      });
      res.end();
    });
  }
  upstream.route('/other-redirect', (_req, res) => {
    res.writeHead(302, { location: '/api/v1/elsewhere' });
    res.end();
  });
  upstream.route('/cookies', (_req, res) => {
    res.setHeader('set-cookie', ['CF_Authorization=eyJ.jwt.sig; Path=/; Secure', 'infisical-session=abc; Path=/']);
    res.end('ok');
  });
  fx = await startProxy(upstream, { logLevel: 'info' });
});
afterAll(async () => {
  await fx?.close();
  await upstream?.close();
});

describe('Cloudflare Access answers', () => {
  it('answers a Cloudflare Access 403 page as JSON naming failure mode B and the fix, and logs it at warn', async () => {
    const res = await send(fx.url, '/cf-403');
    expect(res.status).toBe(403);
    // The MCP server shows a vault's JSON `message` to the agent; an HTML page would reach it as "status code 403".
    const body = res.json<{ error: string; message: string; hint: string }>();
    expect(body.error).toBe('CF_ACCESS_DENIED');
    expect(body.message).toMatch(/failure mode B/);
    expect(body.hint).toMatch(/CF_ACCESS_CLIENT_ID/);
    expect(res.body.toString()).not.toContain('<!DOCTYPE');
    expect(res.headers['x-vault-proxy-error']).toBe('CF_ACCESS_DENIED');
    const warn = fx.logs.find((l) => l.includes('WARN') && l.includes('Cloudflare Access denied'));
    expect(warn).toBeDefined();
    expect(warn).toMatch(/failure mode B/);
  });

  it('does not blame Cloudflare for Infisical’s own JSON 403', async () => {
    const before = fx.logs.length;
    const res = await send(fx.url, '/rbac-403');
    expect(res.status).toBe(403);
    expect(res.json<{ error: string }>().error).toBe('PermissionDenied');
    expect(fx.logs.slice(before).some((l) => l.includes('failure mode B'))).toBe(false);
  });

  it.each([301, 302, 303, 307, 308])('turns a %i to the cloudflareaccess.com login into a 403 JSON', async (status) => {
    const res = await send(fx.url, `/login-${status}`);
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    const body = res.json<{ error: string; message: string; hint: string }>();
    expect(body.error).toBe('CF_ACCESS_LOGIN_REDIRECT');
    expect(body.hint).toMatch(/failure mode B/);
    expect(fx.logs.some((l) => l.includes('WARN') && l.includes('login redirect'))).toBe(true);
  });

  it('passes other redirects on', async () => {
    const res = await send(fx.url, '/other-redirect');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/api/v1/elsewhere');
  });

  it('never passes back a CF_Authorization Set-Cookie', async () => {
    const res = await send(fx.url, '/cookies');
    expect(res.headers['set-cookie']).toEqual(['infisical-session=abc; Path=/']);
  });
});
