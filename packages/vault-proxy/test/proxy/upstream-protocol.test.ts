/**
 * What the upstream sends back, byte by byte: a response head that trickles,
 * a body that stalls, interim and switching-protocol answers, a server that
 * closes idle connections. Every request gets exactly one answer.
 */
import { type RecordingUpstream, startRecordingUpstream } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../support/http-client.js';
import { delay, proxyPool } from '../support/proxy-fixture.js';
import { rawConnect, rawRequest } from '../support/raw-client.js';

let upstream: RecordingUpstream;
const pool = proxyPool(() => upstream);

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  upstream.respond('/trickle-head', async (_req, conn) => {
    conn.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ');
    for (let i = 0; i < 40; i++) {
      await delay(300);
      conn.write('a');
    }
    conn.write('\r\nContent-Length: 2\r\n\r\n{}');
  });
  upstream.respond('/stall-body', async (_req, conn) => {
    conn.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nhello');
    await delay(3_000);
    conn.write('world');
  });
  upstream.respond('/switch', (_req, conn) => {
    conn.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello');
  });
  upstream.respond('/processing', (_req, conn) => {
    conn.write('HTTP/1.1 102 Processing\r\n\r\n');
  });
  upstream.respond('/early-hints', (_req, conn) => {
    conn.write('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n');
    conn.answer(200, { 'Content-Type': 'application/json' }, '{"ok":true}');
  });
});
afterAll(async () => {
  await pool.closeAll();
  await upstream?.close();
});

describe('response-head deadline', () => {
  it('answers 504 when the head trickles in past VAULT_PROXY_UPSTREAM_TIMEOUT_MS, though every byte is on time', async () => {
    const fx = await pool.start({ upstreamTimeoutMs: 1_500 });
    const started = Date.now();
    const res = await send(fx.url, '/trickle-head');
    expect(res.status).toBe(504);
    expect(res.json<{ error: string }>().error).toBe('UPSTREAM_TIMEOUT');
    // The trickle would take 12 s; the deadline is 1.5 s. Generous bound: only "well before the trickle ends" matters.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(fx.logs.some((l) => l.includes('/trickle-head') && l.includes(' 504 '))).toBe(true);
  });

  it('does not count a client’s paused upload against the head deadline', async () => {
    const fx = await pool.start({ upstreamTimeoutMs: 500, idleTimeoutMs: 5_000 });
    const conn = await rawConnect(fx.url);
    conn.write('POST /paused-upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello');
    await delay(1_500);
    conn.write('world');
    const res = await conn.next();
    conn.destroy();
    expect(res.status).toBe(200);
    expect(res.json<{ bodyLength: number }>().bodyLength).toBe(10);
  });

  it('cuts a body that stalls longer than the idle timeout, so the client cannot take it for whole', async () => {
    const fx = await pool.start({ idleTimeoutMs: 800 });
    const conn = await rawConnect(fx.url);
    conn.write('GET /stall-body HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const rest = await conn.closed;
    expect(rest).toMatch(/^HTTP\/1\.1 200/);
    expect(rest).toContain('hello');
    expect(rest).not.toContain('world');
  });
});

describe('interim and switching answers', () => {
  it('answers 502 JSON to an upstream 101, with an access line, and nothing left in flight', async () => {
    const fx = await pool.start({ logLevel: 'info' });
    const res = await rawRequest(fx.url, 'GET /switch HTTP/1.1\r\nHost: localhost\r\n\r\n', 5_000);
    expect(res.status).toBe(502);
    expect(res.json<{ error: string }>().error).toBe('UPSTREAM_PROTOCOL_ERROR');
    const health = await send(fx.url, '/__vault-proxy/health');
    expect(health.json<{ inFlight: number }>().inFlight).toBe(0);
    await delay(50);
    const line = fx.logs.find((l) => l.includes('GET /switch'));
    expect(line).toContain(' 502 ');
    expect(line).toContain('code=UPSTREAM_PROTOCOL_ERROR');
    expect(line).not.toContain('aborted');
  });

  it('answers 502 to an unexpected 102 interim status', async () => {
    const fx = await pool.start({ upstreamTimeoutMs: 5_000 });
    const res = await rawRequest(fx.url, 'GET /processing HTTP/1.1\r\nHost: localhost\r\n\r\n', 5_000);
    expect(res.status).toBe(502);
    expect(res.json<{ error: string }>().error).toBe('UPSTREAM_PROTOCOL_ERROR');
  });

  it('lets a 103 Early Hints pass unrelayed and forwards the final answer', async () => {
    const fx = await pool.start({});
    const res = await rawRequest(fx.url, 'GET /early-hints HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });
});

describe('pooled connections', () => {
  it('retires a pooled connection before the server’s Keep-Alive timeout, so a POST after a pause does not hit a closed one', async () => {
    const closing = await startRecordingUpstream({ idleCloseMs: 2_000, keepAliveHintSeconds: 2 });
    try {
      const fx = await pool.start({ connectTo: `127.0.0.1:${closing.port}`, ca: closing.certs.caCert });
      const login = (): Promise<number> =>
        send(fx.url, '/api/v1/auth/universal-auth/login', {
          method: 'POST',
          headers: ['Content-Type', 'application/json'],
          body: '{"clientId":"a","clientSecret":"b"}',
        }).then((r) => r.status);
      expect(await login()).toBe(200);
      await delay(2_100);
      expect(await login()).toBe(200);
      expect(closing.connections).toBe(2);
    } finally {
      await closing.close();
    }
  });

  it('never sends a POST on a connection idle long enough to be stale; a GET there is retried once', async () => {
    // The peer dropped idle connections without the FIN reaching the proxy: bytes on them meet a reset.
    const forgetful = await startRecordingUpstream({ forgetIdleAfterMs: 2_000 });
    try {
      const fx = await pool.start({ connectTo: `127.0.0.1:${forgetful.port}`, ca: forgetful.certs.caCert });
      const post = (): Promise<number> =>
        send(fx.url, '/api/v1/auth/universal-auth/login', { method: 'POST', body: '{"clientId":"a","clientSecret":"b"}' }).then(
          (r) => r.status,
        );
      expect(await post()).toBe(200);
      await delay(2_300);
      expect(await post()).toBe(200);
      await delay(2_300);
      expect((await send(fx.url, '/api/status')).status).toBe(200);
      expect(forgetful.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'GET']);
    } finally {
      await forgetful.close();
    }
  });
});
