import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxy } from '../../src/proxy/create-proxy.js';
import { type EchoUpstream, sha256, startEchoUpstream } from '../support/echo-upstream.js';
import { send } from '../support/http-client.js';
import { CANARY_ID, CANARY_SECRET, headerValues, type ProxyFixture, startProxy } from '../support/proxy-fixture.js';

let upstream: EchoUpstream;
let fx: ProxyFixture;

beforeAll(async () => {
  upstream = await startEchoUpstream();
  fx = await startProxy(upstream);
});
afterAll(async () => {
  await fx?.close();
  await upstream?.close();
});

/** The upstream's record of the last request. */
function last() {
  const record = upstream.requests.at(-1);
  if (!record) throw new Error('upstream saw no request');
  return record;
}

describe('defaults', () => {
  it('binds 127.0.0.1:2019 and forwards to https://vault.raxx.app unless told otherwise', () => {
    const proxy = createProxy({ cfAccessClientId: 'id', cfAccessClientSecret: 'secret' }, {});
    expect(proxy.options.host).toBe('127.0.0.1');
    expect(proxy.options.port).toBe(2019);
    expect(proxy.options.connection.upstream.origin).toBe('https://vault.raxx.app');
    expect(proxy.options.connection.userAgent).toBe('raxx-vault-proxy/1.0');
    expect(proxy.address).toBeUndefined();
  });
});

describe('forwarding', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('forwards %s with path and query byte for byte', async (method) => {
    const path = '/api/v3/secrets/raw/MCP_RO%2FKEY?workspaceId=29b7&environment=prod&secretPath=%2FMooseQuest%2F&x=a+b&empty=&flag';
    const body = method === 'GET' || method === 'OPTIONS' ? undefined : `{"secretValue":"v-${method}"}`;
    const res = await send(fx.url, path, {
      method,
      headers: body ? ['Content-Type', 'application/json'] : [],
      ...(body ? { body } : {}),
    });
    expect(res.status).toBe(200);
    expect(last().method).toBe(method);
    expect(last().url).toBe(path);
    if (body) expect(last().bodySha256).toBe(sha256(body));
  });

  it('forwards HEAD without a body', async () => {
    upstream.route('/head', (_req, res) => {
      res.writeHead(200, { 'content-length': '42', 'x-head': 'yes' });
      res.end();
    });
    const res = await send(fx.url, '/head', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['x-head']).toBe('yes');
    expect(res.body.length).toBe(0);
  });

  it('forwards /api/status like any other path', async () => {
    const res = await send(fx.url, '/api/status');
    expect(res.status).toBe(200);
    expect(last().url).toBe('/api/status');
  });

  it('injects the CF Access pair, Host of the upstream and the configured User-Agent', async () => {
    await send(fx.url, '/api/status', { headers: ['User-Agent', 'curl/8.0', 'Accept', 'application/json'] });
    const raw = last().rawHeaders;
    expect(headerValues(raw, 'cf-access-client-id')).toEqual([CANARY_ID]);
    expect(headerValues(raw, 'cf-access-client-secret')).toEqual([CANARY_SECRET]);
    expect(headerValues(raw, 'host')).toEqual(['vault.raxx.app']);
    expect(headerValues(raw, 'user-agent')).toEqual(['raxx-vault-proxy/1.0']);
    expect(headerValues(raw, 'accept')).toEqual(['application/json']);
  });

  it('keeps header case, order and repetition of what it forwards', async () => {
    await send(fx.url, '/x', { headers: ['X-First', '1', 'x-Repeated', 'a', 'X-REPEATED', 'b', 'Authorization', 'Bearer t0k'] });
    const raw = last().rawHeaders;
    const names = raw.filter((_, i) => i % 2 === 0);
    expect(names.indexOf('X-First')).toBeLessThan(names.indexOf('x-Repeated'));
    expect(names).toContain('X-REPEATED');
    expect(headerValues(raw, 'x-repeated')).toEqual(['a', 'b']);
    expect(headerValues(raw, 'authorization')).toEqual(['Bearer t0k']);
  });

  it('lets no client override, duplicate or remove the injected headers', async () => {
    await send(fx.url, '/x', {
      headers: [
        'CF-Access-Client-Id',
        'attacker-id',
        'cf-access-client-secret',
        'attacker-secret',
        'CF-Access-Jwt-Assertion',
        'jwt',
        'User-Agent',
        'evil',
        'Connection',
        'keep-alive, X-Hop',
        'X-Hop',
        'dropped',
        'X-Kept',
        'kept',
      ],
    });
    const raw = last().rawHeaders;
    expect(headerValues(raw, 'cf-access-client-id')).toEqual([CANARY_ID]);
    expect(headerValues(raw, 'cf-access-client-secret')).toEqual([CANARY_SECRET]);
    expect(headerValues(raw, 'cf-access-jwt-assertion')).toEqual([]);
    expect(headerValues(raw, 'host')).toEqual(['vault.raxx.app']);
    expect(headerValues(raw, 'user-agent')).toEqual(['raxx-vault-proxy/1.0']);
    expect(headerValues(raw, 'x-hop')).toEqual([]);
    expect(headerValues(raw, 'x-kept')).toEqual(['kept']);
  });

  it('drops hop-by-hop and Proxy-* request headers', async () => {
    await send(fx.url, '/x', {
      method: 'POST',
      body: 'b',
      headers: [
        'Transfer-Encoding',
        'chunked',
        'Keep-Alive',
        'timeout=5',
        'Proxy-Connection',
        'keep-alive',
        'Proxy-Authorization',
        'Basic Zm9vOmJhcg==',
        'TE',
        'trailers',
        'Trailer',
        'X-T',
        'Upgrade',
        'websocket',
      ],
    });
    const names = last()
      .rawHeaders.filter((_, i) => i % 2 === 0)
      .map((n) => n.toLowerCase());
    for (const dropped of ['keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade']) {
      expect(names).not.toContain(dropped);
    }
  });

  it('strips only the CF_Authorization pair from Cookie', async () => {
    await send(fx.url, '/x', { headers: ['Cookie', 'a=1; CF_Authorization=eyJhbGciOi.jwt; b=2'] });
    expect(headerValues(last().rawHeaders, 'cookie')).toEqual(['a=1; b=2']);
    await send(fx.url, '/x', { headers: ['Cookie', 'CF_Authorization=eyJ'] });
    expect(headerValues(last().rawHeaders, 'cookie')).toEqual([]);
  });

  it('re-frames a chunked request body and forwards it intact', async () => {
    const body = 'x'.repeat(100_000);
    await send(fx.url, '/upload', { method: 'POST', headers: ['Transfer-Encoding', 'chunked'], body });
    expect(last().bodySha256).toBe(sha256(body));
    expect(headerValues(last().rawHeaders, 'transfer-encoding')).toEqual(['chunked']);
  });

  it('filters response headers: hop-by-hop, Connection-named, cf-access-*, CF_Authorization cookies', async () => {
    upstream.route('/resp-headers', (_req, res) => {
      res.setHeader('Connection', 'X-Upstream-Hop');
      res.setHeader('X-Upstream-Hop', 'secret-ish');
      res.setHeader('Proxy-Authenticate', 'Basic');
      res.setHeader('CF-Access-Client-Secret', 'reflected');
      res.setHeader('CF-Access-Authenticated-User-Email', 'a@b');
      res.setHeader('Set-Cookie', ['CF_Authorization=jwt; Path=/; HttpOnly', 'session=1; Path=/', 'cf_authorization=x']);
      res.setHeader('X-Kept', 'yes');
      res.end('ok');
    });
    const res = await send(fx.url, '/resp-headers');
    expect(res.status).toBe(200);
    expect(res.headers['x-upstream-hop']).toBeUndefined();
    expect(res.headers['proxy-authenticate']).toBeUndefined();
    expect(res.headers['cf-access-client-secret']).toBeUndefined();
    expect(res.headers['cf-access-authenticated-user-email']).toBeUndefined();
    expect(res.headers['set-cookie']).toEqual(['session=1; Path=/']);
    expect(res.headers['x-kept']).toBe('yes');
    expect(res.body.toString()).toBe('ok');
  });

  it('passes upstream status codes and bodies through', async () => {
    upstream.route('/teapot', (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"Secret with name \'X\' not found","error":"NotFound"}');
    });
    const res = await send(fx.url, '/teapot');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: "Secret with name 'X' not found", error: 'NotFound' });
  });
});
