import { request as httpsRequest } from 'node:https';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  createFaultInjector,
  createVaultHandlers,
  createVaultModel,
  type FakeVault,
  type FaultInjector,
  type VaultModel,
  type VaultModelOptions,
} from '../../src/index.js';

/** A response, body parsed as JSON when it is JSON. */
export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests index into arbitrary JSON
  body: any;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** Send the Cloudflare service token and a browser-like agent. Default true. */
  edge?: boolean;
}

export const USER_AGENT = 'raxx-vault-proxy/1.0';

export function edgeHeaders(model: VaultModel): Record<string, string> {
  return {
    'user-agent': USER_AGENT,
    'cf-access-client-id': model.seed.cfAccessClientId,
    'cf-access-client-secret': model.seed.cfAccessClientSecret,
  };
}

function url(origin: string, path: string, query?: CallOptions['query']): string {
  const u = new URL(path, origin);
  for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, String(v));
  return u.toString();
}

async function toReply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body, text };
}

/** A fetch-based client of the msw-served vault. */
export function vaultClient(model: VaultModel, origin = 'https://vault.raxx.app') {
  async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(opts.edge === false ? {} : edgeHeaders(model)), ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url(origin, path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      redirect: 'manual',
    });
    return toReply(res);
  }
  async function login(creds: { clientId: string; clientSecret: string }): Promise<string> {
    const r = await call('POST', '/api/v1/auth/universal-auth/login', { body: creds });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
    return r.body.accessToken as string;
  }
  return { call, login, adminToken: () => login(model.seed.admin), mcpToken: () => login(model.seed.mcp) };
}

/** One msw server per test file; every test gets a fresh model (made with `options`) and fault injector. */
export function useMswVault(options: VaultModelOptions = {}): {
  readonly model: VaultModel;
  readonly faults: FaultInjector;
  readonly client: ReturnType<typeof vaultClient>;
} {
  const server = setupServer();
  const state = {} as { model: VaultModel; faults: FaultInjector; client: ReturnType<typeof vaultClient> };
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  const reset = () => {
    state.model = createVaultModel(options);
    state.faults = createFaultInjector();
    state.client = vaultClient(state.model);
    server.resetHandlers(...createVaultHandlers(state.model, { faults: state.faults }));
  };
  reset();
  afterEach(reset);
  return state;
}

/** A raw HTTPS request to a running fake vault (TLS verified against its CA, SNI and Host = the vault's name). */
export function requestVault(
  vault: Pick<FakeVault, 'origin' | 'host' | 'port' | 'caCert'>,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const hostname = new URL(vault.origin).hostname;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: vault.host,
        port: vault.port,
        method,
        path,
        servername: hostname,
        ca: vault.caCert,
        headers: {
          host: hostname,
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}
