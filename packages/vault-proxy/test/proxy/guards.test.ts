import { Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EchoUpstream, startEchoUpstream } from '../support/echo-upstream.js';
import { rawExchange, rawStatus, send } from '../support/http-client.js';
import { type ProxyFixture, startProxy } from '../support/proxy-fixture.js';

let upstream: EchoUpstream;
let fx: ProxyFixture;
const extra: ProxyFixture[] = [];

beforeAll(async () => {
  upstream = await startEchoUpstream();
  fx = await startProxy(upstream, { allowedHosts: ['vault-proxy.internal'] });
});
afterAll(async () => {
  for (const f of extra) await f.close();
  await fx?.close();
  await upstream?.close();
});

let seenBefore = 0;
function markUpstream(): void {
  seenBefore = upstream.requests.length;
}
function upstreamTouched(): boolean {
  return upstream.requests.length !== seenBefore;
}

function errorOf(body: string): string | undefined {
  const json = body.slice(body.indexOf('\r\n\r\n') + 4);
  return (JSON.parse(json) as { error?: string }).error;
}

describe('methods and targets', () => {
  it('refuses CONNECT with 405 without touching upstream', async () => {
    markUpstream();
    const out = await rawExchange(fx.url, 'CONNECT vault.raxx.app:443 HTTP/1.1\r\nHost: vault.raxx.app:443\r\n\r\n');
    expect(rawStatus(out)).toBe(405);
    expect(errorOf(out)).toBe('METHOD_NOT_ALLOWED');
    expect(upstreamTouched()).toBe(false);
  });

  it('refuses TRACE, which would echo the injected credentials', async () => {
    markUpstream();
    const res = await send(fx.url, '/api/status', { method: 'TRACE' });
    expect(res.status).toBe(405);
    expect(res.json<{ error: string }>().error).toBe('METHOD_NOT_ALLOWED');
    expect(upstreamTouched()).toBe(false);
  });

  it('forwards an absolute-form target naming the upstream origin as its path', async () => {
    const out = await rawExchange(
      fx.url,
      'GET https://vault.raxx.app/api/status?x=1 HTTP/1.1\r\nHost: vault.raxx.app\r\nConnection: close\r\n\r\n',
    );
    expect(rawStatus(out)).toBe(200);
    expect(upstream.requests.at(-1)?.url).toBe('/api/status?x=1');
  });

  it.each([
    'http://vault.raxx.app/api/status',
    'https://evil.example/api/status',
    'https://vault.raxx.app.evil.example/api/status',
    'https://vault.raxx.app@evil.example/api/status',
    'https://vault.raxx.app:8443/api/status',
  ])('refuses the absolute-form target %s with 403', async (target) => {
    markUpstream();
    const out = await rawExchange(fx.url, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(rawStatus(out)).toBe(403);
    expect(errorOf(out)).toBe('TARGET_NOT_ALLOWED');
    expect(upstreamTouched()).toBe(false);
  });
});

describe('Host (DNS-rebinding defence)', () => {
  it.each(['localhost', 'localhost:PORT', '127.0.0.1', `127.0.0.1:PORT`, '[::1]', '[::1]:PORT', 'LOCALHOST', 'vault-proxy.internal:PORT'])(
    'accepts Host %s (PORT: the listening port)',
    async (host) => {
      const value = host.replace('PORT', String(fx.address.port));
      expect((await send(fx.url, '/api/status', { headers: ['Host', value] })).status).toBe(200);
    },
  );

  it.each(['localhost:2019', '127.0.0.1:1234', 'vault-proxy.internal:80'])(
    'refuses Host %s: a port other than the listening one',
    async (host) => {
      markUpstream();
      const res = await send(fx.url, '/api/status', { headers: ['Host', host] });
      expect(res.status).toBe(403);
      expect(upstreamTouched()).toBe(false);
    },
  );

  it.each(['evil.example', 'evil.example:2019', 'vault.raxx.app', '127.0.0.1.nip.io', 'localhost.evil.example'])(
    'refuses Host %s with 403 without touching upstream',
    async (host) => {
      markUpstream();
      const res = await send(fx.url, '/api/status', { headers: ['Host', host] });
      expect(res.status).toBe(403);
      expect(res.json<{ error: string }>().error).toBe('HOST_NOT_ALLOWED');
      expect(upstreamTouched()).toBe(false);
    },
  );

  it('refuses a request without Host', async () => {
    markUpstream();
    const out = await rawExchange(fx.url, 'GET /api/status HTTP/1.0\r\n\r\n');
    expect([400, 403]).toContain(rawStatus(out));
    const out11 = await rawExchange(fx.url, 'GET /api/status HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect([400, 403]).toContain(rawStatus(out11));
    expect(upstreamTouched()).toBe(false);
  });
});

describe('browser requests', () => {
  it.each([
    ['Origin', 'https://evil.example'],
    ['Origin', 'null'],
    ['Origin', 'http://localhost:2019'],
    ['Sec-Fetch-Site', 'cross-site'],
    ['Sec-Fetch-Site', 'same-site'],
  ])('refuses %s: %s with 403', async (name, value) => {
    markUpstream();
    const res = await send(fx.url, '/api/status', { headers: [name, value] });
    expect(res.status).toBe(403);
    expect(res.json<{ error: string }>().error).toBe('CROSS_ORIGIN_REFUSED');
    expect(upstreamTouched()).toBe(false);
  });

  it.each(['none', 'same-origin'])('lets Sec-Fetch-Site: %s through', async (value) => {
    expect((await send(fx.url, '/api/status', { headers: ['Sec-Fetch-Site', value] })).status).toBe(200);
  });
});

describe('slow and oversized clients', () => {
  it('answers 431 to a header block above maxHeaderSize', async () => {
    const small = await startProxy(upstream, { maxHeaderSize: 2048 });
    extra.push(small);
    markUpstream();
    const out = await rawExchange(small.url, `GET /api/status HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(4096)}\r\n\r\n`);
    expect(rawStatus(out)).toBe(431);
    expect(upstreamTouched()).toBe(false);
  });

  it('drops a client that sends its headers too slowly (slowloris)', async () => {
    const strict = await startProxy(upstream, { headersTimeoutMs: 200, requestTimeoutMs: 400 });
    extra.push(strict);
    markUpstream();
    // Half a request, then silence: the server must close the connection on its own.
    const out = await rawExchange(strict.url, 'GET /api/status HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1', 5_000, true);
    expect(rawStatus(out)).toBe(408);
    expect(upstreamTouched()).toBe(false);
  });

  it('drops a client that sends its body too slowly', async () => {
    const strict = await startProxy(upstream, { headersTimeoutMs: 200, requestTimeoutMs: 400 });
    extra.push(strict);
    const out = await rawExchange(
      strict.url,
      'POST /slow-body HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nonly-part-of-it',
      5_000,
      true,
    );
    expect(rawStatus(out)).toBe(408);
  });
});

describe('proxy-local endpoints', () => {
  it('answers GET /__vault-proxy/health without touching upstream', async () => {
    markUpstream();
    const res = await send(fx.url, '/__vault-proxy/health');
    expect(res.status).toBe(200);
    const body = res.json<{ status: string; upstream: string; uptimeMs: number; inFlight: number }>();
    expect(body.status).toBe('ok');
    expect(body.upstream).toBe('https://vault.raxx.app');
    expect(body.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(body.inFlight).toBe(0);
    expect(upstreamTouched()).toBe(false);
  });

  it.each(['/__vault-proxy/', '/__vault-proxy', '/__vault-proxy/status', '/__vault-proxy/health/x'])(
    'answers 404 JSON for %s',
    async (path) => {
      markUpstream();
      const res = await send(fx.url, path);
      expect(res.status).toBe(404);
      expect(res.json<{ error: string }>().error).toBe('NOT_FOUND');
      expect(upstreamTouched()).toBe(false);
    },
  );

  it('still applies the Host check to local endpoints', async () => {
    const res = await send(fx.url, '/__vault-proxy/health', { headers: ['Host', 'evil.example'] });
    expect(res.status).toBe(403);
  });

  it('forwards look-alike paths', async () => {
    await send(fx.url, '/__vault-proxyx/health');
    expect(upstream.requests.at(-1)?.url).toBe('/__vault-proxyx/health');
  });
});

describe('bind address', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('warns when told to listen on a non-loopback address', async () => {
    // Divert the actual bind to loopback: the test must not open a port on the network.
    const listen = Server.prototype.listen as (this: Server, port: number, host: string, cb?: () => void) => Server;
    vi.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server, ...args: unknown[]) {
      const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
      return listen.call(this, args[0] as number, '127.0.0.1', cb);
    });
    const open = await startProxy(upstream, { host: '0.0.0.0' });
    extra.push(open);
    expect(open.logs.some((l) => l.includes('WARN') && l.includes('non-loopback'))).toBe(true);
  });

  it('does not warn on loopback', () => {
    expect(fx.logs.some((l) => l.includes('non-loopback'))).toBe(false);
    expect(fx.logs.some((l) => l.includes('vault-proxy listening') && l.includes(fx.url))).toBe(true);
  });
});
