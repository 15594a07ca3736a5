/**
 * Request smuggling, sent as raw bytes over a plain socket. Every case asserts
 * both sides: what the client got, and exactly what the strict recording
 * upstream received (nothing foreign, nothing it could not parse).
 */
import { type RecordingUpstream, startRecordingUpstream } from '@raxx/vault-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT } from '../../src/settings/settings-table.js';
import { CANARY_ID, CANARY_SECRET, type ProxyFixture, proxyPool } from '../support/proxy-fixture.js';
import { rawConnect, rawRequest } from '../support/raw-client.js';

const SMUG = 'GET /SMUGGLED HTTP/1.1\r\nHost: vault.raxx.app\r\n\r\n';

let upstream: RecordingUpstream;
let fx: ProxyFixture;
let port: number;
const pool = proxyPool(() => upstream);

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  fx = await pool.start({ logLevel: 'debug' });
  port = fx.address.port;
});
afterAll(async () => {
  await pool.closeAll();
  await upstream?.close();
});
afterEach(() => {
  // The invariant of the whole file: the upstream never saw a request the proxy did not mean to send.
  expect(upstream.foreign().map((r) => `${r.method} ${r.target}`)).toEqual([]);
  expect(upstream.anomalies).toEqual([]);
  expect(upstream.requests.some((r) => r.target.includes('SMUGGLED'))).toBe(false);
  for (const line of fx.logs) {
    expect(line).not.toContain(CANARY_SECRET);
    expect(line).not.toContain(CANARY_ID);
  }
  upstream.clear();
});

describe('the head the upstream receives, byte for byte', () => {
  const injected = `Host: vault.raxx.app\r\nCF-Access-Client-Id: ${CANARY_ID}\r\nCF-Access-Client-Secret: ${CANARY_SECRET}\r\nUser-Agent: ${DEFAULT_USER_AGENT}\r\n`;

  it('a body with Content-Length: the client’s headers as sent (case kept, hop-by-hop and the CF cookie gone), the injected block, the framing last', async () => {
    const res = await rawRequest(
      fx.url,
      `POST /api/x?y=1 HTTP/1.1\r\nhost: localhost:${port}\r\nx-MiXed-Case: v\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nUser-Agent: curl/8\r\nCookie: a=1; CF_Authorization=jwt\r\nContent-Length: 5\r\nAccept: */*\r\n\r\nhello`,
    );
    expect(res.status).toBe(200);
    const seen = upstream.requests[0];
    expect(seen?.head).toBe(
      `POST /api/x?y=1 HTTP/1.1\r\nx-MiXed-Case: v\r\nCookie: a=1\r\nAccept: */*\r\n${injected}Content-Length: 5\r\n\r\n`,
    );
    expect(seen?.body.toString()).toBe('hello');
  });

  it('a chunked body is re-chunked and framed as chunked; a bodyless GET carries no framing at all', async () => {
    const chunked = await rawRequest(
      fx.url,
      `PUT /c HTTP/1.1\r\nHost: localhost:${port}\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n`,
    );
    expect(chunked.status).toBe(200);
    expect(upstream.requests[0]?.head).toBe(`PUT /c HTTP/1.1\r\n${injected}Transfer-Encoding: chunked\r\n\r\n`);
    expect(upstream.requests[0]?.body.toString()).toBe('abcde');
    const get = await rawRequest(fx.url, `GET /g HTTP/1.1\r\nHost: localhost:${port}\r\nX-A: 1\r\n\r\n`);
    expect(get.status).toBe(200);
    expect(upstream.requests[1]?.head).toBe(`GET /g HTTP/1.1\r\nX-A: 1\r\n${injected}\r\n`);
  });
});

describe('long header lines, scanned four bytes a step (BENCHMARKS.md step 12), over the wire', () => {
  // What the MCP server sends: a long query string and a JWT-sized bearer token.
  const target = `/api/v3/secrets/raw/DB_PASSWORD?workspaceId=29b77751-f761-4afa-b3fa-2c842988f95c&secretPath=%2FMooseQuest%2F&viewSecretValue=true`;
  const token = `Bearer eyJhbGciOiJIUzI1NiJ9.${'x'.repeat(128)}.${'y'.repeat(43)}`;

  it('forwards long values of every length around a step byte for byte (inner tabs and obs-text kept)', async () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${'v'.repeat(n)}\tcaf\xe9${'w'.repeat(n)}`);
    const lines = values.map((v, i) => `X-L${i}: ${v}\r\n`).join('');
    // Sent as latin1, so obs-text is the one byte 0xE9 on the wire.
    const res = await rawRequest(
      fx.url,
      Buffer.from(`GET ${target} HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: ${token}\r\n${lines}\r\n`, 'latin1'),
    );
    expect(res.status).toBe(200);
    expect(upstream.requests[0]?.head).toBe(
      `GET ${target} HTTP/1.1\r\nAuthorization: ${token}\r\n${lines}Host: vault.raxx.app\r\nCF-Access-Client-Id: ${CANARY_ID}\r\nCF-Access-Client-Secret: ${CANARY_SECRET}\r\nUser-Agent: ${DEFAULT_USER_AGENT}\r\n\r\n`,
    );
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7])(
    'refuses a control byte at offset %i of a step in a long value, before the upstream is touched',
    async (at) => {
      for (const bad of ['\x00', '\x01', '\n', '\x1f', '\x7f']) {
        const value = `${token.slice(0, 40 + at)}${bad}${token.slice(41 + at)}`;
        const res = await rawRequest(fx.url, `GET ${target} HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: ${value}\r\n\r\n`);
        expect(res.status, JSON.stringify(bad)).toBe(400);
      }
      expect(upstream.requests).toEqual([]);
    },
  );
});

describe('Connection cannot remove the framing or a managed header', () => {
  it.each(['GET', 'DELETE', 'OPTIONS', 'POST', 'PUT', 'PATCH'])(
    '%s with Connection: Content-Length is refused with 400 before the upstream is touched',
    async (method) => {
      const res = await rawRequest(
        fx.url,
        `${method} /x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Content-Length\r\nContent-Length: ${SMUG.length}\r\n\r\n${SMUG}`,
      );
      expect(res.status).toBe(400);
      expect(res.json<{ error: string }>().error).toBe('REQUEST_INVALID');
      expect(upstream.requests).toEqual([]);
    },
  );

  it.each([
    'Transfer-Encoding',
    'host',
    'User-Agent',
    'CF-Access-Client-Secret',
    'cf-access-client-id',
    'keep-alive, Content-Length',
    'X-Mine,  TRANSFER-ENCODING ',
  ])('Connection naming %s is refused', async (named) => {
    const res = await rawRequest(
      fx.url,
      `POST /x HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: ${named}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    );
    expect(res.status).toBe(400);
    expect(upstream.requests).toEqual([]);
  });

  it('still drops the client’s own hop-by-hop headers named in Connection', async () => {
    const res = await rawRequest(
      fx.url,
      `GET /x HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nX-Kept: 2\r\n\r\n`,
    );
    expect(res.status).toBe(200);
    const seen = upstream.requests[0];
    expect(seen?.rawHeaders.map((h) => h.toLowerCase())).not.toContain('x-hop');
    expect(seen?.rawHeaders).toContain('X-Kept');
  });

  it('cannot read the injected secret back by completing a half-written TRACE (two connections)', async () => {
    const a = await rawConnect(fx.url);
    a.write(
      `GET /a HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Content-Length\r\nContent-Length: 39\r\n\r\nTRACE /SMUGGLED-trace HTTP/1.1\r\nX-Pad: `,
    );
    const first = await a.next();
    expect(first.status).toBe(400);
    a.destroy();
    const b = await rawConnect(fx.url);
    b.write(`GET /b HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const second = await b.next();
    b.destroy();
    expect(second.status).toBe(200);
    expect(second.headers['content-type']).toBe('application/json');
    expect(second.text).not.toContain(CANARY_SECRET);
    expect(upstream.requests.map((r) => `${r.method} ${r.target}`)).toEqual(['GET /b']);
  });
});

describe('the body always goes upstream framed by the proxy', () => {
  it.each(['GET', 'DELETE', 'OPTIONS'])('a %s with a body carries its Content-Length upstream', async (method) => {
    const res = await rawRequest(fx.url, `${method} /with-body HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: 5\r\n\r\nhello`);
    expect(res.status).toBe(200);
    const seen = upstream.requests[0];
    expect(seen?.framing).toBe('length');
    expect(seen?.body.toString()).toBe('hello');
  });

  it('re-frames a chunked body as chunked, never unframed, and the next request on the connection is the client’s own', async () => {
    const conn = await rawConnect(fx.url);
    conn.write(
      `GET /chunked HTTP/1.1\r\nHost: localhost:${port}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /second HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`,
    );
    expect((await conn.next()).status).toBe(200);
    expect((await conn.next()).status).toBe(200);
    conn.destroy();
    // node:http hands pipelined requests over at once, so they may reach the upstream in either order.
    expect(upstream.requests.map((r) => [r.target, r.framing, r.body.toString()]).sort()).toEqual([
      ['/chunked', 'chunked', 'hello'],
      ['/second', 'none', ''],
    ]);
  });

  it('after a large Content-Length body, the next request rides the same upstream connection, framed by the proxy, body intact', async () => {
    // 256 KiB spans many reads on both sides; every byte differs from its neighbours, so a shifted byte shows.
    const body = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 31 + (i >> 8)) & 0xff));
    const conn = await rawConnect(fx.url);
    conn.write(
      Buffer.concat([Buffer.from(`PUT /big HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: ${body.length}\r\n\r\n`), body]),
    );
    expect((await conn.next()).status).toBe(200);
    conn.write(`GET /after HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`);
    expect((await conn.next()).status).toBe(200);
    conn.destroy();
    const [big, after] = upstream.requests;
    expect(big).toMatchObject({ method: 'PUT', target: '/big', framing: 'length', injected: true });
    expect(big?.body.equals(body)).toBe(true);
    expect(after).toMatchObject({
      method: 'GET',
      target: '/after',
      framing: 'none',
      injected: true,
      connection: big?.connection,
      index: (big?.index ?? -2) + 1,
    });
  });

  it.each([
    ['Transfer-Encoding: gzip, chunked', '0\r\n\r\n'],
    ['Transfer-Encoding: chunked\r\nContent-Length: 5', '0\r\n\r\n'],
    ['Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked', '0\r\n\r\n'],
    ['Content-Length: 5\r\nContent-Length: 6', 'hello'],
    ['Content-Length: 5, 5', 'hello'],
    ['Content-Length: +5', 'hello'],
    ['Content-Length : 5', 'hello'],
    ['X-Folded: a\r\n b', ''],
  ])('refuses ambiguous framing (%s) with 400', async (headers, body) => {
    const res = await rawRequest(fx.url, `POST /x HTTP/1.1\r\nHost: localhost:${port}\r\n${headers}\r\n\r\n${body}`);
    expect(res.status).toBe(400);
    expect(upstream.requests).toEqual([]);
  });

  it('refuses bare LF line ends', async () => {
    const res = await rawRequest(fx.url, `GET /x HTTP/1.1\nHost: localhost:${port}\n\n`);
    expect(res.status).toBe(400);
    expect(upstream.requests).toEqual([]);
  });

  it.each(['CF_Access_Client_Secret', 'Transfer_Encoding', 'content_length', 'Proxy_Authorization', 'HOST_'])(
    'refuses the look-alike header %s (underscore read as dash)',
    async (name) => {
      const res = await rawRequest(fx.url, `GET /x HTTP/1.1\r\nHost: localhost:${port}\r\n${name}: 1\r\n\r\n`);
      expect(res.status, name).toBe(name === 'HOST_' ? 200 : 400);
    },
  );
});

describe('every header is judged, none silently dropped', () => {
  const lines = (n: number): string => Array.from({ length: n }, (_, i) => `x${i}:1\r\n`).join('');

  it('refuses 1,100 header lines followed by Content-Length and a smuggled request with 431', async () => {
    const res = await rawRequest(fx.url, `GET /x HTTP/1.1\r\nHost: localhost:${port}\r\n${lines(1100)}Content-Length: 48\r\n\r\n${SMUG}`);
    expect(res.status).toBe(431);
    expect(res.json<{ error: string }>().error).toBe('REQUEST_HEADERS_TOO_LARGE');
    expect(upstream.requests).toEqual([]);
  });

  it('the same with Transfer-Encoding last', async () => {
    const res = await rawRequest(
      fx.url,
      `POST /x HTTP/1.1\r\nHost: localhost:${port}\r\n${lines(1100)}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUG}`,
    );
    expect(res.status).toBe(431);
    expect(upstream.requests).toEqual([]);
  });

  it('an Origin header after many others is still seen', async () => {
    const res = await rawRequest(fx.url, `GET /x HTTP/1.1\r\nHost: localhost:${port}\r\n${lines(97)}Origin: https://evil.example\r\n\r\n`);
    expect(res.status).toBe(403);
    expect(res.json<{ error: string }>().error).toBe('CROSS_ORIGIN_REFUSED');
    const over = await rawRequest(
      fx.url,
      `GET /x HTTP/1.1\r\nHost: localhost:${port}\r\n${lines(300)}Origin: https://evil.example\r\n\r\n`,
    );
    expect(over.status).toBe(431);
    expect(upstream.requests).toEqual([]);
  });

  it('forwards a request at the header limit with every header', async () => {
    const res = await rawRequest(fx.url, `GET /x HTTP/1.1\r\nHost: localhost:${port}\r\n${lines(99)}\r\n`);
    expect(res.status).toBe(200);
    const names = (upstream.requests[0]?.rawHeaders ?? []).filter((_, i) => i % 2 === 0);
    expect(names.filter((n) => /^x\d+$/.test(n))).toHaveLength(99);
  });

  it('refuses a second Host header', async () => {
    const res = await rawRequest(fx.url, `GET /x HTTP/1.1\r\nHost: localhost:${port}\r\nHost: evil.example\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(upstream.requests).toEqual([]);
  });
});

describe('strict Host', () => {
  it.each([
    (p: number) => `localhost:${p}@evil.com`,
    () => 'localhost:evil.com',
    () => 'localhost:',
    () => 'localhost:99999',
    (p: number) => `localhost:${p + 1}`,
    (p: number) => `localhost :${p}`,
    (p: number) => `127.0.0.1:${p}.evil.com`,
    (p: number) => `[::1]x:${p}`,
    (p: number) => `evil.com:${p}`,
  ])('refuses Host %s with 403', async (host) => {
    const res = await rawRequest(fx.url, `GET /x HTTP/1.1\r\nHost: ${host(port)}\r\n\r\n`);
    expect(res.status).toBe(403);
    expect(res.json<{ error: string }>().error).toBe('HOST_NOT_ALLOWED');
    expect(upstream.requests).toEqual([]);
  });

  it.each([
    (p: number) => `localhost:${p}`,
    () => 'localhost',
    (p: number) => `[::1]:${p}`,
    (p: number) => `127.0.0.1:${p}`,
    () => 'LocalHost',
  ])('accepts Host %s', async (host) => {
    const res = await rawRequest(fx.url, `GET /x HTTP/1.1\r\nHost: ${host(port)}\r\n\r\n`);
    expect(res.status).toBe(200);
  });

  it('accepts an allow-list entry with its own port, and the listening port, and nothing else', async () => {
    const named = await pool.start({ allowedHosts: ['vault-proxy.internal:8080', 'plain.internal'] });
    const p = named.address.port;
    const status = async (host: string): Promise<number> =>
      (await rawRequest(named.url, `GET /x HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status;
    expect(await status('vault-proxy.internal:8080')).toBe(200);
    expect(await status(`vault-proxy.internal:${p}`)).toBe(200);
    expect(await status('plain.internal')).toBe(200);
    expect(await status('vault-proxy.internal:8081')).toBe(403);
    expect(await status('plain.internal:8080')).toBe(403);
  });
});

describe('the client connection', () => {
  it('answers a client that half-closes right after its request', async () => {
    const conn = await rawConnect(fx.url);
    conn.write(`GET /half HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`);
    conn.end();
    expect((await conn.next()).status).toBe(200);
    await conn.closed;
  });

  it('closes after a refusal, so bytes behind a refused request are never read as a request', async () => {
    const conn = await rawConnect(fx.url);
    conn.write(`GET /x HTTP/1.1\r\nHost: evil.example\r\n\r\nGET /next HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`);
    expect((await conn.next()).status).toBe(403);
    expect(await conn.closed).toBe('');
    expect(upstream.requests).toEqual([]);
  });
});
