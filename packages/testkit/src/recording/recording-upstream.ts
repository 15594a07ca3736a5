import { createHash } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { createTestCertificates, type TestCertificates } from '../certificates.js';
import { type ParsedRequest, parseRequest } from './strict-request-parser.js';

/** A request the upstream received, with where it came from. */
export interface RecordedExchange extends ParsedRequest {
  /** Which TLS connection carried it (1-based, in accept order). */
  readonly connection: number;
  /** Its position on that connection (0-based). */
  readonly index: number;
  /** TLS SNI the client sent (`false` when none). */
  readonly servername: string | false;
  /** Whether it carries exactly one of each injected header: a request the proxy meant to send. */
  readonly injected: boolean;
}

/** Bytes the strict parser refused, on one connection (the connection is answered 400 and closed). */
export interface UpstreamAnomaly {
  readonly connection: number;
  readonly reason: string;
}

/** The connection a responder answers on. */
export interface UpstreamConnection {
  readonly id: number;
  write(data: string | Buffer): void;
  end(data?: string | Buffer): void;
  /** Reset the connection (no FIN). */
  destroy(): void;
  /** Send a complete response framed by Content-Length. */
  answer(status: number, headers: Record<string, string>, body?: string | Buffer): void;
}

/** Answers one request; may be async (the next request on the connection waits for it). */
export type UpstreamResponder = (request: RecordedExchange, connection: UpstreamConnection) => void | Promise<void>;

/** Options of {@link startRecordingUpstream}. */
export interface RecordingUpstreamOptions {
  /** TLS material. Default: fresh test certificates. */
  readonly certs?: TestCertificates;
  /** Header names (lower-case) a request sent by the proxy carries exactly once. Default the Cloudflare Access pair and User-Agent. */
  readonly injectedHeaders?: readonly string[];
  /** Close a connection idle this long, as servers do, with a FIN. Default `10000`. */
  readonly idleCloseMs?: number;
  /** Announce `Keep-Alive: timeout=<s>` on default answers. Default: no hint. */
  readonly keepAliveHintSeconds?: number;
  /**
   * Model a peer that dropped an idle connection's state without the FIN
   * reaching the client (a middlebox timeout, a crashed server): bytes that
   * arrive after this many idle ms are answered with a reset. Default: never.
   */
  readonly forgetIdleAfterMs?: number;
}

/**
 * A loopback HTTPS upstream that parses every byte strictly and records
 * every request, per connection, so a test can assert both what the client
 * got and exactly what reached the upstream: a second request the proxy
 * did not mean to send shows up as `foreign()` or as an anomaly.
 */
export interface RecordingUpstream {
  /** `https://localhost:<port>` */
  readonly url: string;
  readonly port: number;
  readonly certs: TestCertificates;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedExchange[];
  /** Every refusal of the strict parser. */
  readonly anomalies: readonly UpstreamAnomaly[];
  /** TLS connections accepted so far. */
  readonly connections: number;
  /** Requests without the injected headers: ones the proxy did not send. */
  foreign(): RecordedExchange[];
  /** Answer requests for `path` (query ignored) with `responder`. */
  respond(path: string, responder: UpstreamResponder): void;
  /** Answer requests whose path starts with `prefix` with `responder` (exact routes win). */
  respondPrefix(prefix: string, responder: UpstreamResponder): void;
  /** Forget recorded requests and anomalies (routes stay). */
  clear(): void;
  /** Resolves once `count` requests have been recorded in all. */
  arrivals(count: number): Promise<void>;
  close(): Promise<void>;
}

/** The default answer: what the upstream saw, as JSON (the CF secret only as a hash, so bodies never carry it). */
function echo(req: RecordedExchange, conn: UpstreamConnection, hint: Record<string, string>): void {
  if (req.method === 'TRACE') {
    // Like a server that implements TRACE: the request head comes back verbatim (RFC 9110 §9.3.8).
    conn.answer(200, { 'Content-Type': 'message/http', ...hint }, req.head);
    return;
  }
  const shown = [...req.rawHeaders];
  for (let i = 0; i < shown.length; i += 2) {
    if (shown[i]?.toLowerCase() === 'cf-access-client-secret')
      shown[i + 1] = `sha256:${createHash('sha256')
        .update(shown[i + 1] ?? '')
        .digest('hex')}`;
  }
  const body = JSON.stringify({
    method: req.method,
    url: req.target,
    rawHeaders: shown,
    framing: req.framing,
    connection: req.connection,
    index: req.index,
    servername: req.servername,
    bodyLength: req.body.length,
    bodySha256: createHash('sha256').update(req.body).digest('hex'),
  });
  conn.answer(200, { 'Content-Type': 'application/json', ...hint }, body);
}

function countOf(raw: readonly string[], name: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) n += 1;
  return n;
}

/** Start the recording upstream on 127.0.0.1 (an ephemeral port). */
export async function startRecordingUpstream(options: RecordingUpstreamOptions = {}): Promise<RecordingUpstream> {
  const certs = options.certs ?? (await createTestCertificates());
  const injected = options.injectedHeaders ?? ['cf-access-client-id', 'cf-access-client-secret', 'user-agent'];
  const hint: Record<string, string> =
    options.keepAliveHintSeconds === undefined ? {} : { 'Keep-Alive': `timeout=${options.keepAliveHintSeconds}` };
  const routes = new Map<string, UpstreamResponder>();
  const prefixes: [string, UpstreamResponder][] = [];
  const routeFor = (target: string): UpstreamResponder | undefined => {
    const path = target.split('?')[0] ?? '';
    return routes.get(path) ?? prefixes.find(([prefix]) => path.startsWith(prefix))?.[1];
  };
  const requests: RecordedExchange[] = [];
  const anomalies: UpstreamAnomaly[] = [];
  const sockets = new Set<TLSSocket>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let accepted = 0;

  /** The TCP socket under each TLS one, by client port: a reset must be sent on the TCP level. */
  const tcpByPort = new Map<number, Socket>();
  const server = createServer({ key: certs.key, cert: certs.cert }, (socket) => {
    const tcp = tcpByPort.get(socket.remotePort ?? 0);
    const reset = (): void => {
      if (tcp && !tcp.destroyed) tcp.resetAndDestroy();
      else socket.destroy();
    };
    accepted += 1;
    const id = accepted;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setTimeout(options.idleCloseMs ?? 10_000, () => socket.end());
    let buffered: Buffer = Buffer.alloc(0);
    let index = 0;
    let busy = false;
    let broken = false;
    let lastActivity = Date.now();
    const queue: RecordedExchange[] = [];
    const conn: UpstreamConnection = {
      id,
      write: (data) => {
        lastActivity = Date.now();
        if (!socket.destroyed) socket.write(data);
      },
      end: (data) => {
        if (socket.destroyed) return;
        if (data === undefined) socket.end();
        else socket.end(data);
      },
      destroy: reset,
      answer: (status, headers, body = '') => {
        const bytes = typeof body === 'string' ? Buffer.from(body) : body;
        let head = `HTTP/1.1 ${status} X\r\n`;
        for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
        conn.write(Buffer.concat([Buffer.from(`${head}Content-Length: ${bytes.length}\r\n\r\n`, 'latin1'), bytes]));
      },
    };
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      while (queue.length > 0 && !socket.destroyed) {
        const req = queue.shift() as RecordedExchange;
        const route = routeFor(req.target);
        try {
          await (route ? route(req, conn) : echo(req, conn, hint));
        } catch {
          socket.destroy();
        }
      }
      busy = false;
    };
    socket.on('data', (chunk: Buffer) => {
      if (broken) return;
      const idle = Date.now() - lastActivity;
      lastActivity = Date.now();
      if (options.forgetIdleAfterMs !== undefined && idle > options.forgetIdleAfterMs && !busy) {
        reset();
        return;
      }
      socket.setTimeout(options.idleCloseMs ?? 10_000);
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      for (;;) {
        const step = parseRequest(buffered);
        if (step.kind === 'incomplete') break;
        if (step.kind === 'anomaly') {
          broken = true;
          anomalies.push({ connection: id, reason: step.reason });
          socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
          return;
        }
        buffered = buffered.subarray(step.consumed);
        const raw = step.request.rawHeaders;
        const record: RecordedExchange = {
          ...step.request,
          connection: id,
          index,
          servername: (socket as TLSSocket & { servername?: string | false }).servername ?? false,
          injected: injected.every((name) => countOf(raw, name) === 1),
        };
        index += 1;
        requests.push(record);
        for (const w of [...waiters]) {
          if (requests.length >= w.count) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
        queue.push(record);
      }
      void pump();
    });
  });
  server.on('tlsClientError', () => {});
  server.on('connection', (tcp: Socket) => {
    const port = tcp.remotePort ?? 0;
    tcpByPort.set(port, tcp);
    tcp.on('close', () => {
      if (tcpByPort.get(port) === tcp) tcpByPort.delete(port);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://localhost:${port}`,
    port,
    certs,
    requests,
    anomalies,
    get connections() {
      return accepted;
    },
    foreign: () => requests.filter((r) => !r.injected),
    respond(path, responder) {
      routes.set(path, responder);
    },
    respondPrefix(prefix, responder) {
      prefixes.push([prefix, responder]);
    },
    clear() {
      requests.length = 0;
      anomalies.length = 0;
    },
    arrivals(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
