import { createHash } from 'node:crypto';
import { Agent, type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoUpstream, startEchoUpstream } from '../support/echo-upstream.js';
import { send } from '../support/http-client.js';
import { delay, type ProxyFixture, startProxy } from '../support/proxy-fixture.js';

let upstream: EchoUpstream;
let fx: ProxyFixture;

beforeAll(async () => {
  upstream = await startEchoUpstream();
  fx = await startProxy(upstream, { poolSize: 4, logLevel: 'info' });
});
afterAll(async () => {
  await fx?.close();
  await upstream?.close();
});

/** A promise with its resolver, for gates between client and upstream. */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Start a request through the proxy and hand back the response once headers arrive. */
function open(
  path: string,
  method = 'GET',
  headers: string[] = [],
): { req: ReturnType<typeof request>; response: Promise<IncomingMessage> } {
  const url = new URL(fx.url);
  const req = request({ host: url.hostname, port: url.port, method, path, agent: false, headers: ['Host', url.host, ...headers] });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  return { req, response };
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

describe('streaming', () => {
  it('passes the first response chunk on before upstream has sent the rest', async () => {
    const release = gate();
    let upstreamSentAll = false;
    upstream.route('/slow', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first|');
      void release.promise.then(() => {
        upstreamSentAll = true;
        res.end('rest');
      });
    });
    const { req, response } = open('/slow');
    req.end();
    const res = await response;
    const first = await new Promise<Buffer>((resolve) => res.once('data', resolve));
    expect(first.toString()).toBe('first|');
    expect(upstreamSentAll).toBe(false);
    const rest = readAll(res);
    release.open();
    expect((await rest).toString()).toBe('rest');
  });

  it('passes the first request chunk on while the client is still sending', async () => {
    const firstChunk = gate<string>();
    upstream.route('/upload', (req, res) => {
      let received = '';
      req.on('data', (c: Buffer) => {
        if (received === '') firstChunk.open(c.toString());
        received += c.toString();
      });
      req.on('end', () => res.end(`got ${received.length}`));
    });
    const { req, response } = open('/upload', 'POST', ['Transfer-Encoding', 'chunked']);
    req.write('part-one|');
    // The client holds the rest back until upstream has seen the first part.
    expect(await firstChunk.promise).toBe('part-one|');
    req.end('part-two');
    const body = await readAll(await response);
    expect(body.toString()).toBe(`got ${'part-one|part-two'.length}`);
  });

  it('applies backpressure instead of buffering a large response', async () => {
    const total = 48 * 1024 * 1024;
    const chunk = Buffer.alloc(256 * 1024, 'v');
    let written = 0;
    upstream.route('/large', (_req, res) => {
      res.writeHead(200, { 'content-length': String(total) });
      const pump = (): void => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const { req, response } = open('/large');
    req.end();
    const res = await response;
    res.pause();
    // Give the pipe time to fill every buffer on the way; a buffering proxy would swallow it all.
    await delay(300);
    expect(written).toBeLessThan(total);
    const hash = createHash('sha256');
    let length = 0;
    res.on('data', (c: Buffer) => {
      hash.update(c);
      length += c.length;
    });
    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    expect(length).toBe(total);
  });
});

describe('connection reuse', () => {
  it('serves 50 sequential requests over at most poolSize upstream TLS connections', async () => {
    const before = upstream.tlsConnections;
    const client = new Agent({ keepAlive: true });
    try {
      for (let i = 0; i < 50; i++) expect((await send(fx.url, `/seq/${i}`, { agent: client })).status).toBe(200);
    } finally {
      client.destroy();
    }
    const opened = upstream.tlsConnections - before;
    expect(opened).toBeGreaterThanOrEqual(0);
    expect(opened).toBeLessThanOrEqual(1);
    const seen = new Set(upstream.requests.slice(-50).map((r) => r.connection));
    expect(seen.size).toBe(1);
  });

  it('reuses the connection after a request with a large body, even when the answer beats the write callback', async () => {
    const body = Buffer.alloc(1024 * 1024, 7);
    const before = upstream.tlsConnections;
    for (let i = 0; i < 10; i++) {
      const res = await send(fx.url, `/post/${i}`, { method: 'POST', body });
      expect(res.status).toBe(200);
      expect(res.json<{ bodyLength: number }>().bodyLength).toBe(body.length);
    }
    expect(upstream.tlsConnections - before).toBeLessThanOrEqual(1);
    expect(new Set(upstream.requests.slice(-10).map((r) => r.connection)).size).toBe(1);
  });

  it('keeps concurrent requests within the pool size', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(fx.url, `/par/${i}`)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const seen = new Set(upstream.requests.slice(-20).map((r) => r.connection));
    expect(seen.size).toBeGreaterThanOrEqual(1);
    expect(seen.size).toBeLessThanOrEqual(4);
  });
});

describe('aborts', () => {
  it('destroys the upstream request when the client goes away mid-response', async () => {
    const upstreamClosed = gate<boolean>();
    upstream.route('/abort-mid', (_req, res) => {
      res.writeHead(200);
      res.write('partial');
      res.on('close', () => upstreamClosed.open(res.writableFinished));
    });
    const { req, response } = open('/abort-mid');
    req.end();
    const res = await response;
    await new Promise((resolve) => res.once('data', resolve));
    req.destroy();
    expect(await upstreamClosed.promise).toBe(false);
  });

  it('destroys the upstream request when the client goes away before headers', async () => {
    const upstreamClosed = gate();
    upstream.route('/abort-early', (req) => {
      req.socket.on('close', () => upstreamClosed.open());
    });
    const arrived = upstream.requests.length;
    const { req, response } = open('/abort-early');
    response.catch(() => undefined);
    req.end();
    await upstream.arrivals(arrived + 1);
    req.destroy();
    await upstreamClosed.promise;
  });

  it('cuts the client response when upstream breaks mid-body', async () => {
    upstream.route('/reset-mid', (req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write('x'.repeat(1000), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const { req, response } = open('/reset-mid');
    req.end();
    const res = await response;
    expect(res.statusCode).toBe(200);
    await expect(readAll(res)).rejects.toThrow();
  });

  it('still answers after all of that', async () => {
    expect((await send(fx.url, '/api/status')).status).toBe(200);
  });
});
