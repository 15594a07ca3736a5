import { type AddressInfo, createServer } from 'node:net';
import { createTestCertificates } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathWithoutQueryValues } from '../../src/proxy/access-log.js';
import { type EchoUpstream, startEchoUpstream } from '../support/echo-upstream.js';
import { type ClientResponse, rawExchange, send } from '../support/http-client.js';
import { CANARY_ID, CANARY_SECRET, delay, proxyPool } from '../support/proxy-fixture.js';
import { rawRequest } from '../support/raw-client.js';

let upstream: EchoUpstream;
const pool = proxyPool(() => upstream);
const proxyWith = pool.start;

beforeAll(async () => {
  upstream = await startEchoUpstream();
  upstream.route('/cf-403', (_req, res) => {
    res.writeHead(403, { server: 'cloudflare', 'cf-ray': '1-AMS', 'content-type': 'text/html' });
    res.end('<html>Forbidden</html>');
  });
  upstream.route('/login', (_req, res) => {
    res.writeHead(302, { location: 'https://raxx.cloudflareaccess.com/cdn-cgi/access/login/vault.raxx.app' });
    res.end();
  });
  upstream.route('/hang', () => undefined);
  upstream.route('/reflect', (req, res) => {
    // A misbehaving upstream that echoes the credential in a response header.
    res.setHeader('CF-Access-Client-Secret', String(req.headers['cf-access-client-secret']));
    res.end('reflected');
  });
});
afterAll(async () => {
  await pool.closeAll();
  await upstream?.close();
});

describe('access log', () => {
  it('pathWithoutQueryValues keeps names and drops values', () => {
    expect(pathWithoutQueryValues('/api/v3/secrets/raw/KEY?workspaceId=29b7&environment=prod')).toBe(
      '/api/v3/secrets/raw/KEY?workspaceId=&environment=',
    );
    expect(pathWithoutQueryValues('/a?flag&x=1&&y=')).toBe('/a?flag=&x=&y=');
    expect(pathWithoutQueryValues('/plain')).toBe('/plain');
  });

  it('writes one pretty line per request with method, path without query values, status, upstream time and bytes', async () => {
    const fx = await proxyWith({ logLevel: 'info', logFormat: 'pretty' });
    const before = fx.logs.length;
    const res = await send(fx.url, '/api/v3/secrets/raw/KEY?workspaceId=ws-value-1&environment=prod-value');
    await new Promise((r) => setImmediate(r));
    const lines = fx.logs.slice(before);
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line).toContain('GET /api/v3/secrets/raw/KEY?workspaceId=&environment= 200');
    expect(line).toMatch(/upstream=\d+(\.\d)?ms/);
    expect(line).toContain(`bytes=${res.body.length}`);
    expect(line).not.toContain('ws-value-1');
    expect(line).not.toContain('prod-value');
  });

  it('writes JSON lines when logFormat is json', async () => {
    const fx = await proxyWith({ logLevel: 'info', logFormat: 'json' });
    const before = fx.logs.length;
    const res = await send(fx.url, '/api/status?token=abc');
    await new Promise((r) => setImmediate(r));
    const entry = JSON.parse(fx.logs.slice(before)[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', method: 'GET', path: '/api/status?token=', status: 200, bytes: res.body.length });
    expect(typeof entry.upstreamMs).toBe('number');
    expect(fx.logs.every((l) => JSON.parse(l))).toBe(true);
  });

  it('logs nothing below the active level', async () => {
    const warnOnly = await proxyWith({ logLevel: 'warn' });
    await send(warnOnly.url, '/api/status');
    expect(warnOnly.logs).toEqual([]);
    const silent = await proxyWith({ logLevel: 'silent', connectTo: '127.0.0.1:1' });
    await send(silent.url, '/api/status');
    expect(silent.logs).toEqual([]);
  });

  it('writes a startup line with address and upstream, and no credentials', async () => {
    const fx = await proxyWith({ logLevel: 'info' });
    const startup = fx.logs.find((l) => l.includes('vault-proxy listening')) ?? '';
    expect(startup).toContain(fx.url);
    expect(startup).toContain('https://vault.raxx.app');
    expect(startup).not.toContain(CANARY_SECRET);
  });
});

describe('secret canary', () => {
  it.each(['pretty', 'json'] as const)('never shows the CF secret in %s logs at debug level nor in any response', async (logFormat) => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const deadPort = (free.address() as AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    const main = await proxyWith({ logLevel: 'debug', logFormat, upstreamTimeoutMs: 300 });
    const dead = await proxyWith({ logLevel: 'debug', logFormat, connectTo: `127.0.0.1:${deadPort}` });
    const wrongCa = await proxyWith({ logLevel: 'debug', logFormat, ca: (await createTestCertificates()).caCert });

    const responses: ClientResponse[] = [];
    const raws: string[] = [];
    // The client's own credentials must stay out of the logs too (debug logs headers, redacted).
    const clientToken = 'canary-client-token-4e5f6a';
    const cookie = ['Cookie', `CF_Authorization=${clientToken}; a=1`, 'Authorization', `Bearer ${clientToken}`];
    for (const path of ['/api/status?secret=x', '/cf-403', '/login', '/hang', '/reflect', '/__vault-proxy/health', '/__vault-proxy/x']) {
      responses.push(await send(main.url, path, { headers: cookie }));
    }
    responses.push(await send(main.url, '/api/status', { method: 'TRACE' }));
    responses.push(await send(main.url, '/api/status', { headers: ['Host', 'evil.example'] }));
    responses.push(await send(main.url, '/api/status', { headers: ['Origin', 'https://evil.example'] }));
    responses.push(
      await send(main.url, '/x', { method: 'POST', body: `{"clientSecret":"other"}`, headers: ['Content-Type', 'application/json'] }),
    );
    responses.push(await send(dead.url, '/api/status'));
    responses.push(await send(wrongCa.url, '/api/status'));
    raws.push(await rawExchange(main.url, 'CONNECT vault.raxx.app:443 HTTP/1.1\r\nHost: vault.raxx.app\r\n\r\n'));
    await Promise.all([main.close(), dead.close(), wrongCa.close()]);

    expect(responses.map((r) => r.status)).toEqual([200, 403, 403, 504, 200, 200, 404, 405, 403, 403, 200, 502, 502]);
    for (const r of responses) {
      expect(r.body.toString('latin1')).not.toContain(CANARY_SECRET);
      expect(r.rawHeaders.join('\n')).not.toContain(CANARY_SECRET);
    }
    for (const raw of raws) expect(raw).not.toContain(CANARY_SECRET);
    const logs = [...main.logs, ...dead.logs, ...wrongCa.logs];
    // The debug lines exist (headers logged redacted) and none carries the secret.
    expect(logs.some((l) => l.includes('forwarding') && l.includes('[redacted]'))).toBe(true);
    for (const line of logs) {
      expect(line).not.toContain(CANARY_SECRET);
      expect(line).not.toContain(CANARY_ID);
      expect(line).not.toContain(clientToken);
    }
  });
});

describe('every request leaves an access line', () => {
  it.each([
    ['CONNECT', 'CONNECT vault.raxx.app:443 HTTP/1.1\r\nHost: vault.raxx.app:443\r\n\r\n', 405, 'METHOD_NOT_ALLOWED'],
    ['garbage', 'GET /x HTTP/1.1\nHost: localhost\n\n', 400, 'REQUEST_INVALID'],
    ['not HTTP', '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n', 400, 'REQUEST_INVALID'],
    ['oversized', `GET /x HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(4096)}\r\n\r\n`, 431, 'REQUEST_HEADERS_TOO_LARGE'],
  ])('%s is answered with JSON and logged', async (_what, bytes, status, code) => {
    const fx = await proxyWith({ logLevel: 'info', maxHeaderSize: 2048 });
    const before = fx.logs.length;
    const res = await rawRequest(fx.url, bytes);
    expect(res.status).toBe(status);
    expect(res.json<{ error: string }>().error).toBe(code);
    expect(res.headers['x-vault-proxy-error']).toBe(code);
    await delay(20);
    const lines = fx.logs.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(` ${status} `);
    expect(lines[0]).toContain(`code=${code}`);
  });

  it('a client too slow with its headers gets 408 and a line', async () => {
    const fx = await proxyWith({ logLevel: 'info', headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const before = fx.logs.length;
    const res = await rawRequest(fx.url, 'GET /x HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1', 5_000);
    expect(res.status).toBe(408);
    expect(res.json<{ error: string }>().error).toBe('REQUEST_TIMEOUT');
    await delay(20);
    expect(fx.logs.slice(before).filter((l) => l.includes(' 408 '))).toHaveLength(1);
  });
});
