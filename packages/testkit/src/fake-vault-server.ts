import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { getResponse, type HttpHandler } from 'msw';
import { createTestCertificates } from './certificates.js';
import { createVaultHandlers } from './create-vault-handlers.js';
import { createFaultInjector, type FaultInjector } from './fault-injector.js';
import type { ServerProfile } from './model/server-profile.js';
import { createVaultModel, type VaultModel } from './model/vault-model.js';

/** One request as the fake vault received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received. */
  path: string;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
}

/** A running fake vault on loopback. */
export interface FakeVault {
  /** The public origin clients address, `https://vault.raxx.app`. */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  /** `host:port` to dial instead of resolving the origin's name (curl's `--connect-to`). */
  readonly connectTo: string;
  /** The CA that signed the server certificate, PEM. */
  readonly caCert: string;
  /** A PEM file holding `caCert` (in a temp directory removed on close). */
  readonly caFile: string;
  /** Everything a client needs, under the env-file keys (credentials included). */
  readonly env: Record<string, string>;
  readonly model: VaultModel;
  readonly faults: FaultInjector;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Options of {@link startFakeVault}. */
export interface FakeVaultOptions {
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port to bind. Default `0` (ephemeral). */
  port?: number;
  /** The model to serve. Default: a fresh `createVaultModel({ server })`. */
  model?: VaultModel;
  /** The server build a fresh model answers as (ignored with `model`). Default `current`. */
  server?: ServerProfile;
  /** Faults to apply. Default: a fresh, empty injector. */
  faults?: FaultInjector;
  /** The public origin. Default `https://vault.raxx.app`. */
  origin?: string;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

// Cloudflare routes by Host: a request naming anything but the vault's hostname is not for this zone.
function directAccessPage(res: ServerResponse): void {
  res.writeHead(403, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare', 'cf-ray': 'direct-access' });
  res.end('<!DOCTYPE html><html><head><title>Direct IP access not allowed | Cloudflare</title></head><body>Error 1003</body></html>\n');
}

async function serve(handlers: HttpHandler[], origin: string, hostname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (hostHeader !== hostname) return directAccessPage(res);
  const target = (req.url ?? '/').startsWith('/') ? (req.url ?? '/') : new URL(req.url ?? '/').pathname + new URL(req.url ?? '/').search;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '');
  const method = req.method ?? 'GET';
  const request = new Request(`${origin}${target}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
  });
  const response = await getResponse(handlers, request);
  if (!response || response.type === 'error') {
    req.socket.destroy();
    return;
  }
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  res.writeHead(response.status, response.statusText || undefined, out);
  if (!response.body || method === 'HEAD') {
    res.end();
    return;
  }
  Readable.fromWeb(response.body as unknown as NodeReadableStream).pipe(res);
}

/** Serve the vault handlers over real HTTPS on loopback, with a fresh CA and a certificate for the origin's host. */
export async function startFakeVault(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const origin = (options.origin ?? options.model?.seed.origin ?? 'https://vault.raxx.app').replace(/\/+$/, '');
  const hostname = new URL(origin).hostname;
  const model = options.model ?? createVaultModel({ origin, ...(options.server ? { server: options.server } : {}) });
  const faults = options.faults ?? createFaultInjector();
  const handlers = createVaultHandlers(model, { origin, faults });
  const certs = await createTestCertificates([hostname, 'localhost', '127.0.0.1', '::1']);
  const dir = await mkdtemp(join(tmpdir(), 'fake-vault-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, certs.caCert, { mode: 0o644 });
  const requests: RecordedRequest[] = [];

  const server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: flattenHeaders(req) });
    serve(handlers, origin, hostname, req, res).catch(() => req.socket.destroy());
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const connectTo = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const { seed } = model;
  const env: Record<string, string> = {
    CF_ACCESS_CLIENT_ID: seed.cfAccessClientId,
    CF_ACCESS_CLIENT_SECRET: seed.cfAccessClientSecret,
    INFISICAL_CLIENT_ID: seed.admin.clientId,
    INFISICAL_CLIENT_SECRET: seed.admin.clientSecret,
    INFISICAL_PROJECT_ID: seed.projectId,
    VAULT_PROXY_UPSTREAM: origin,
    VAULT_PROXY_CONNECT_TO: connectTo,
    VAULT_PROXY_CA_FILE: caFile,
    VAULT_PROBE_KEY: seed.probe.key,
    VAULT_PROBE_PATH: seed.probe.path,
    INFISICAL_MCP_CLIENT_ID: seed.mcp.clientId,
    INFISICAL_MCP_CLIENT_SECRET: seed.mcp.clientSecret,
  };

  let closing: Promise<void> | undefined;
  return {
    origin,
    host,
    port,
    connectTo,
    caCert: certs.caCert,
    caFile,
    env,
    model,
    faults,
    requests,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
