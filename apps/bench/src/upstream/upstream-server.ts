import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { ExpectedHeaders } from './expected-headers.js';

/** Paths the upstream answers. */
export const UPSTREAM_PATHS = {
  /** Prefix of the Infisical-like get-secret answer (about 1 KiB of JSON). */
  secret: '/api/v3/secrets/raw/',
  /** Consumes a request body and answers its size. */
  echoSize: '/echo-size',
  /** `?bytes=N` streams N bytes. */
  stream: '/stream',
} as const;

/** The query `@infisical/mcp` sends with get-secret, as the load generator's path. */
export const SECRET_PATH =
  '/api/v3/secrets/raw/DB_PASSWORD?secretName=DB_PASSWORD&workspaceId=29b77751-f761-4afa-b3fa-2c842988f95c&environment=prod&expandSecretReferences=true&includeImports=true&secretPath=%2FMooseQuest%2F&viewSecretValue=true';

/** Counters of one listener. */
export interface ListenerStats {
  /** Completed TLS handshakes (`secureConnection` events), resumed ones included. */
  handshakes: number;
  connections: number;
  requests: number;
  /** Requests refused because an injected header was missing or wrong. */
  rejected: number;
}

/** What `GET /__stats` on the control port answers. */
export interface UpstreamStats {
  readonly tls: ListenerStats;
  readonly plain: ListenerStats;
}

function newStats(): ListenerStats {
  return { handshakes: 0, connections: 0, requests: 0, rejected: 0 };
}

const STREAM_CHUNK = Buffer.alloc(64 * 1024, 'x');

function secretBody(name: string): Buffer {
  const now = '2026-06-20T15:31:00.000Z';
  const secret = {
    id: '6f1d4c9e-7b0a-4f55-9d8e-2f6c1e7a9b30',
    _id: '6f1d4c9e-7b0a-4f55-9d8e-2f6c1e7a9b30',
    workspace: '29b77751-f761-4afa-b3fa-2c842988f95c',
    environment: 'prod',
    version: 3,
    type: 'shared',
    secretKey: name,
    secretValue: '',
    secretComment: '',
    secretReminderNote: null,
    secretReminderRepeatDays: null,
    skipMultilineEncoding: false,
    secretPath: '/MooseQuest/',
    createdAt: now,
    updatedAt: now,
    tags: [],
    secretMetadata: [],
  };
  const bare = JSON.stringify({ secret }).length;
  secret.secretValue = 's'.repeat(Math.max(16, 1024 - bare));
  return Buffer.from(JSON.stringify({ secret }));
}

/** Names of the injected headers that did not arrive as configured (never their values). */
export function wrongHeaders(req: IncomingMessage, expected: ExpectedHeaders): string[] {
  const h = req.headers;
  const wrong: string[] = [];
  if (h.host !== expected.host) wrong.push('host');
  if (h['user-agent'] !== expected.userAgent) wrong.push('user-agent');
  if (h['cf-access-client-id'] !== expected.cfAccessClientId) wrong.push('cf-access-client-id');
  if (h['cf-access-client-secret'] !== expected.cfAccessClientSecret) wrong.push('cf-access-client-secret');
  if (h.authorization !== expected.authorization) wrong.push('authorization');
  return wrong;
}

function createHandler(expected: ExpectedHeaders, stats: ListenerStats): (req: IncomingMessage, res: ServerResponse) => void {
  const bodies = new Map<string, Buffer>();
  const json = (res: ServerResponse, status: number, body: Buffer): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  };
  return (req, res) => {
    stats.requests++;
    const wrong = wrongHeaders(req, expected);
    if (wrong.length > 0) {
      // A peer that skips the injection must not win by doing less work.
      stats.rejected++;
      req.resume();
      json(res, 403, Buffer.from(JSON.stringify({ error: 'Forbidden', message: `wrong or missing: ${wrong.join(', ')}` })));
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (req.method === 'GET' && path.startsWith(UPSTREAM_PATHS.secret)) {
      const name = decodeURIComponent(path.slice(UPSTREAM_PATHS.secret.length)) || 'SECRET';
      let body = bodies.get(name);
      if (body === undefined) {
        body = secretBody(name);
        if (bodies.size < 1000) bodies.set(name, body);
      }
      json(res, 200, body);
      return;
    }
    if (req.method === 'POST' && path === UPSTREAM_PATHS.echoSize) {
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      req.on('end', () => json(res, 200, Buffer.from(JSON.stringify({ bytes: size }))));
      return;
    }
    if (req.method === 'GET' && path === UPSTREAM_PATHS.stream) {
      const total = Number(new URLSearchParams(q === -1 ? '' : url.slice(q + 1)).get('bytes') ?? '0');
      if (!Number.isSafeInteger(total) || total < 0) {
        json(res, 400, Buffer.from('{"error":"BadRequest","message":"bytes must be a non-negative integer"}'));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
      let left = total;
      const pump = (): void => {
        while (left > 0) {
          const chunk = left >= STREAM_CHUNK.length ? STREAM_CHUNK : STREAM_CHUNK.subarray(0, left);
          left -= chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => {
        left = 0;
      });
      pump();
      return;
    }
    req.resume();
    json(res, 404, Buffer.from('{"error":"NotFound","message":"The requested entity is not found"}'));
  };
}

/** Certificate material and expectations of the bench upstream. */
export interface UpstreamConfig {
  readonly cert: string;
  readonly key: string;
  readonly expected: ExpectedHeaders;
}

/** The three listeners; not yet bound. */
export interface BenchUpstream {
  /** HTTPS, for the proxies (they must verify it against the test CA). */
  readonly tls: Server;
  /** Plain HTTP with the same handler, for the `direct` row. */
  readonly plain: Server;
  /** `GET /__stats`: the counters, as JSON. */
  readonly control: Server;
  readonly stats: UpstreamStats;
}

/**
 * Create the upstream: the same handler behind TLS and behind plain HTTP,
 * each counting connections, handshakes, requests and refusals, and a
 * control server reporting those counts.
 */
export function createBenchUpstream(config: UpstreamConfig): BenchUpstream {
  const stats: UpstreamStats = { tls: newStats(), plain: newStats() };
  // Idle keep-alive connections must survive the gaps between runs, or reconnects would count as the target's handshakes.
  const serverOptions = { keepAliveTimeout: 600_000, headersTimeout: 60_000, requestTimeout: 0 };
  const tls = createHttpsServer({ ...serverOptions, cert: config.cert, key: config.key }, createHandler(config.expected, stats.tls));
  tls.on('secureConnection', (_socket: TLSSocket) => {
    stats.tls.handshakes++;
  });
  tls.on('connection', () => {
    stats.tls.connections++;
  });
  const plain = createHttpServer(serverOptions, createHandler(config.expected, stats.plain));
  plain.on('connection', () => {
    stats.plain.connections++;
  });
  const control = createHttpServer((req, res) => {
    const body = req.url === '/__stats' ? JSON.stringify(stats) : '{"error":"NotFound"}';
    res.writeHead(req.url === '/__stats' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body);
  });
  return { tls, plain, control, stats };
}
