import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoUpstream, startEchoUpstream } from '../support/echo-upstream.js';
import { send } from '../support/http-client.js';
import { headerValues, proxyPool } from '../support/proxy-fixture.js';

let upstream: EchoUpstream;
const pool = proxyPool(() => upstream);
const proxyWith = pool.start;

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createTcpServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  upstream = await startEchoUpstream();
});
afterAll(async () => {
  await pool.closeAll();
  await upstream?.close();
});

describe('upstream TLS and addressing', () => {
  it('connectTo dials the given address while SNI and Host keep the upstream name', async () => {
    const fx = await proxyWith({});
    const res = await send(fx.url, '/api/status');
    expect(res.status).toBe(200);
    const seen = res.json<{ servername: string; rawHeaders: string[] }>();
    expect(seen.servername).toBe('vault.raxx.app');
    expect(headerValues(seen.rawHeaders, 'host')).toEqual(['vault.raxx.app']);
  });

  it('without connectTo dials the upstream host itself, Host carrying a non-default port', async () => {
    const fx = await proxyWith({ upstream: upstream.url, connectTo: undefined });
    const res = await send(fx.url, '/api/status');
    expect(res.status).toBe(200);
    const seen = res.json<{ servername: string; rawHeaders: string[] }>();
    expect(seen.servername).toBe('localhost');
    expect(headerValues(seen.rawHeaders, 'host')).toEqual([`localhost:${upstream.port}`]);
  });

  it('trusts an extra CA read from caFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-proxy-ca-'));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, upstream.certs.caCert);
    const fx = await proxyWith({ ca: undefined, caFile });
    expect((await send(fx.url, '/api/status')).status).toBe(200);
  });

  it('answers 502 when the certificate is signed by a CA it does not trust', async () => {
    const other = await createTestCertificates();
    const fx = await proxyWith({ ca: other.caCert });
    const before = upstream.requests.length;
    const res = await send(fx.url, '/api/status');
    expect(res.status).toBe(502);
    const body = res.json<{ error: string; message: string; hint: string }>();
    expect(body.error).toBe('UPSTREAM_UNREACHABLE');
    expect(body.message).toMatch(/TLS verification/);
    expect(body.hint).toMatch(/VAULT_PROXY_CA_FILE/);
    expect(upstream.requests.length).toBe(before);
  });

  it('answers 502 with only the public roots (no silent trust of a private CA)', async () => {
    const fx = await proxyWith({ ca: undefined });
    expect((await send(fx.url, '/api/status')).status).toBe(502);
  });

  it('answers 502 when the certificate does not name the upstream host', async () => {
    const fx = await proxyWith({ upstream: 'https://other.raxx.app' });
    const before = upstream.requests.length;
    const res = await send(fx.url, '/api/status');
    expect(res.status).toBe(502);
    expect(res.json<{ message: string }>().message).toMatch(/other\.raxx\.app/);
    expect(upstream.requests.length).toBe(before);
  });

  it('forwards to a plain-http loopback upstream', async () => {
    const plain = createServer((req, res) => res.end(`plain ${req.method} ${req.url} ${req.headers.host}`));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const { port } = plain.address() as AddressInfo;
    try {
      const fx = await proxyWith({ upstream: `http://127.0.0.1:${port}`, connectTo: undefined });
      const res = await send(fx.url, '/api/status?x=1');
      expect(res.body.toString()).toBe(`plain GET /api/status?x=1 127.0.0.1:${port}`);
    } finally {
      plain.closeAllConnections();
      plain.close();
    }
  });
});

describe('upstream failures', () => {
  it('answers 502 JSON naming the runbook step when the vault is unreachable', async () => {
    const fx = await proxyWith({ connectTo: `127.0.0.1:${await closedPort()}` });
    const res = await send(fx.url, '/api/status');
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json<{ error: string; message: string; hint: string }>();
    expect(Object.keys(body).sort()).toEqual(['error', 'hint', 'message']);
    expect(body.error).toBe('UPSTREAM_UNREACHABLE');
    expect(body.message).toMatch(/ECONNREFUSED/);
    expect(body.hint).toMatch(/docs\/runbook\.md §Diagnosis/);
    expect(fx.logs.some((l) => l.includes('UPSTREAM_UNREACHABLE'))).toBe(true);
  });

  it('answers 504 JSON when upstream sends no headers within upstreamTimeoutMs', async () => {
    upstream.route('/hang', () => {
      /* never answers */
    });
    const fx = await proxyWith({ upstreamTimeoutMs: 200 });
    const res = await send(fx.url, '/hang');
    expect(res.status).toBe(504);
    const body = res.json<{ error: string; hint: string }>();
    expect(body.error).toBe('UPSTREAM_TIMEOUT');
    expect(body.hint).toMatch(/docs\/runbook\.md §Diagnosis/);
    expect(body.hint).toMatch(/VAULT_PROXY_UPSTREAM_TIMEOUT_MS/);
  });

  it('answers 502 when upstream drops the connection before answering', async () => {
    upstream.route('/drop', (req) => req.socket.destroy());
    const fx = await proxyWith({});
    const res = await send(fx.url, '/drop');
    expect(res.status).toBe(502);
    expect(res.json<{ error: string }>().error).toMatch(/^UPSTREAM_/);
  });

  it('tells its own errors apart from upstream answers with a header', async () => {
    const fx = await proxyWith({ connectTo: `127.0.0.1:${await closedPort()}` });
    const res = await send(fx.url, '/api/status');
    expect(res.headers['x-vault-proxy-error']).toBe('UPSTREAM_UNREACHABLE');
  });
});

describe('stale pooled connections', () => {
  /** A route that resets any connection that already served a request, the way an upstream closing an idle keep-alive socket looks. */
  function routeResettingReusedConnections(path: string): void {
    upstream.route(path, (req, res) => {
      const connection = upstream.requests.at(-1)?.connection;
      const served = upstream.requests.filter((r) => r.connection === connection).length;
      if (served > 1) req.socket.destroy();
      else res.end('fresh');
    });
  }

  it('retries a bodyless GET once on a fresh connection when a reused one was reset', async () => {
    routeResettingReusedConnections('/stale-get');
    const fx = await proxyWith({ poolSize: 1 });
    expect((await send(fx.url, '/api/status')).status).toBe(200);
    const before = upstream.requests.length;
    const res = await send(fx.url, '/stale-get');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('fresh');
    const attempts = upstream.requests.slice(before);
    expect(attempts.map((r) => r.url)).toEqual(['/stale-get', '/stale-get']);
    expect(attempts[0]?.connection).not.toBe(attempts[1]?.connection);
  });

  it('does not replay a request with a body', async () => {
    routeResettingReusedConnections('/stale-post');
    const fx = await proxyWith({ poolSize: 1 });
    expect((await send(fx.url, '/api/status')).status).toBe(200);
    const before = upstream.requests.length;
    const res = await send(fx.url, '/stale-post', { method: 'POST', body: '{"a":1}' });
    expect(res.status).toBe(502);
    expect(upstream.requests.slice(before).map((r) => r.url)).toEqual(['/stale-post']);
  });
});
