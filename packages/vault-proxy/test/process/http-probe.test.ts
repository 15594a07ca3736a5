import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProbeAnswer, probeHttp, probeTargetFor } from '../../src/process/http-probe.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A local server that records the request bytes and answers each connection with `answer` (raw bytes). */
async function rawServer(answer: (socket: Socket, request: string) => void): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((socket) => {
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        requests.push(seen);
        answer(socket, seen);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, requests };
}

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('parseProbeAnswer: the answer read by the proxy’s own strict framing layer', () => {
  it('reads a Content-Length body exactly, with lower-cased headers', () => {
    const answer = parseProbeAnswer(bytes('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'));
    expect(answer).toEqual({ status: 200, headers: { 'content-type': 'application/json', 'content-length': '11' }, body: '{"ok":true}' });
  });

  it('decodes a chunked body', () => {
    const answer = parseProbeAnswer(
      bytes('HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n3\r\n"b"\r\n1\r\n}\r\n0\r\n\r\n'),
    );
    expect(answer?.status).toBe(403);
    expect(answer?.body).toBe('{"a":"b"}');
  });

  it('takes a body that ends with the connection, and keeps repeated headers', () => {
    const answer = parseProbeAnswer(bytes('HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nVia: x\r\nVia: y\r\n\r\nbody'));
    expect(answer?.headers).toEqual({ 'set-cookie': ['a=1', 'b=2'], via: 'x, y' });
    expect(answer?.body).toBe('body');
  });

  it('is undefined for a cut-off body, a broken chunk, an interim answer only, or bytes that are not HTTP', () => {
    expect(parseProbeAnswer(bytes('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'))).toBeUndefined();
    expect(parseProbeAnswer(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n'))).toBeUndefined();
    expect(parseProbeAnswer(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc'))).toBeUndefined();
    expect(parseProbeAnswer(bytes('HTTP/1.1 100 Continue\r\n\r\n'))).toBeUndefined();
    expect(parseProbeAnswer(bytes('SSH-2.0-OpenSSH_9.6\r\n\r\n'))).toBeUndefined();
    expect(parseProbeAnswer(bytes('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx'))).toBeUndefined();
  });
});

describe('probeHttp: one GET over a raw socket', () => {
  it('sends one request with the proxy’s Host form and Connection: close, and reads the answer until the close', async () => {
    const { port, requests } = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"status":"ok"}');
    });
    const answer = await probeHttp(probeTargetFor('127.0.0.1', port), '/__vault-proxy/health', 2000);
    expect(answer).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json', 'content-length': '15' },
      body: '{"status":"ok"}',
    });
    expect(requests).toEqual([
      `GET /__vault-proxy/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`,
    ]);
  });

  it('is undefined when the answer is cut off, when nothing answers in time, and when nothing listens', async () => {
    const cut = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nnot all'));
    expect(await probeHttp(probeTargetFor('127.0.0.1', cut.port), '/', 2000)).toBeUndefined();

    const silent = await rawServer(() => {});
    const started = Date.now();
    expect(await probeHttp(probeTargetFor('127.0.0.1', silent.port), '/', 300)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);

    const closed = await rawServer(() => {});
    const port = closed.port;
    await new Promise<void>((resolve) => (servers.pop() as Server).close(() => resolve()));
    expect(await probeHttp(probeTargetFor('127.0.0.1', port), '/', 2000)).toBeUndefined();
  });

  it('gives up on an answer larger than it reads', async () => {
    const { port } = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n');
      socket.end(Buffer.alloc(512 * 1024, 0x61));
    });
    expect(await probeHttp(probeTargetFor('127.0.0.1', port), '/', 2000)).toBeUndefined();
  });
});
