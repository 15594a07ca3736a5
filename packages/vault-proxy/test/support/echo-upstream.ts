import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createTestCertificates, type TestCertificates } from '@raxx/vault-testkit';

/** What the echo upstream saw of one request. */
export interface EchoRecord {
  readonly method: string;
  /** The request target exactly as received. */
  readonly url: string;
  readonly rawHeaders: readonly string[];
  /** TLS SNI the client sent (`false` when none). */
  readonly servername: string | false;
  /** Which TLS connection carried it (1-based, in accept order). */
  readonly connection: number;
  readonly bodyLength: number;
  readonly bodySha256: string;
}

/** Custom behaviour for a path; gets the request unread. */
export type EchoRoute = (req: IncomingMessage, res: ServerResponse) => void;

/** A raw loopback HTTPS server that reports what it received. */
export interface EchoUpstream {
  /** `https://localhost:<port>` */
  readonly url: string;
  readonly port: number;
  readonly certs: TestCertificates;
  /** Every request seen, in arrival order (filled when its body ended, or at arrival for custom routes). */
  readonly requests: EchoRecord[];
  /** TLS connections accepted so far. */
  readonly tlsConnections: number;
  /** TCP connections open right now. */
  readonly openSockets: number;
  /** Custom routes by path (query ignored); others echo. */
  route(path: string, handler: EchoRoute): void;
  /** Resolves once `count` requests have arrived at any route. */
  arrivals(count: number): Promise<void>;
  close(): Promise<void>;
}

/** The header whose value the echo body shows only as a hash, so response bodies never carry the secret. */
const HASHED_IN_BODY = 'cf-access-client-secret';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Start the echo upstream. The default handler reads the whole body and
 * answers 200 JSON `{method, url, rawHeaders, servername, bodyLength,
 * bodySha256}` (the CF secret's value replaced by `sha256:<hex>`).
 */
export async function startEchoUpstream(certs?: TestCertificates): Promise<EchoUpstream> {
  const material = certs ?? (await createTestCertificates());
  const routes = new Map<string, EchoRoute>();
  const requests: EchoRecord[] = [];
  const sockets = new Set<Socket>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let arrived = 0;
  let tlsConnections = 0;
  const connectionIds = new WeakMap<object, number>();

  const noteArrival = (): void => {
    arrived += 1;
    for (const w of [...waiters]) {
      if (arrived >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const server: Server = createServer({ key: material.key, cert: material.cert, keepAliveTimeout: 10_000 }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const base = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: [...req.rawHeaders],
      servername: (socket as TLSSocket & { servername?: string | false }).servername ?? false,
      connection: connectionIds.get(socket) ?? 0,
    };
    const route = routes.get((req.url ?? '').split('?')[0] ?? '');
    if (route) {
      requests.push({ ...base, bodyLength: -1, bodySha256: '' });
      noteArrival();
      route(req, res);
      return;
    }
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
    });
    req.on('end', () => {
      const record: EchoRecord = { ...base, bodyLength: length, bodySha256: hash.digest('hex') };
      requests.push(record);
      noteArrival();
      const shown = [...record.rawHeaders];
      for (let i = 0; i < shown.length; i += 2) {
        if (shown[i]?.toLowerCase() === HASHED_IN_BODY) shown[i + 1] = `sha256:${sha256(shown[i + 1] ?? '')}`;
      }
      const body = JSON.stringify({ ...record, rawHeaders: shown });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    tlsConnections += 1;
    connectionIds.set(socket, tlsConnections);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://localhost:${port}`,
    port,
    certs: material,
    requests,
    get tlsConnections() {
      return tlsConnections;
    },
    get openSockets() {
      return sockets.size;
    },
    route(path, handler) {
      routes.set(path, handler);
    },
    arrivals(count) {
      if (arrived >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
