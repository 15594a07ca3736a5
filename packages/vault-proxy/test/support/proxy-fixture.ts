import { createProxy, type ProxyAddress, type ProxyHandle } from '../../src/proxy/create-proxy.js';
import type { ProxyOptions } from '../../src/proxy/proxy-options.js';
/** What a proxy fixture needs of a test upstream: where it listens and the CA its certificate chains to. */
export interface TestUpstream {
  readonly port: number;
  readonly certs: { readonly caCert: string };
}

/** Planted Cloudflare Access secret; must never show up in logs, errors or response bodies. */
export const CANARY_SECRET = 'canary-cf-secret-7f3a9c1e5b2d';
/** Planted Cloudflare Access client id (not a secret, but distinctive). */
export const CANARY_ID = 'canary-cf-id-0b1c2d.access';

/** A proxy in front of an echo upstream, with its log lines captured. */
export interface ProxyFixture {
  readonly proxy: ProxyHandle;
  readonly address: ProxyAddress;
  readonly url: string;
  /** Every line the proxy logged. */
  readonly logs: string[];
  close(): Promise<void>;
}

/**
 * Start a proxy on 127.0.0.1:0 in front of `upstream`, reached as
 * `https://vault.raxx.app` through `connectTo` (the way the fake vault and
 * a pinned address work), trusting the upstream's test CA. The environment
 * is empty so the developer's own variables never leak in.
 */
export async function startProxy(upstream: TestUpstream, overrides: ProxyOptions = {}): Promise<ProxyFixture> {
  const logs: string[] = [];
  const proxy = createProxy(
    {
      host: '127.0.0.1',
      port: 0,
      upstream: 'https://vault.raxx.app',
      connectTo: `127.0.0.1:${upstream.port}`,
      ca: upstream.certs.caCert,
      cfAccessClientId: CANARY_ID,
      cfAccessClientSecret: CANARY_SECRET,
      logLevel: 'debug',
      logSink: (line) => logs.push(line),
      ...overrides,
    },
    {},
  );
  const address = await proxy.listen();
  return { proxy, address, url: address.url, logs, close: () => proxy.close() };
}

/** Pairs of a raw header list whose name matches, case-insensitively. */
export function headerValues(raw: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === name.toLowerCase()) out.push(raw[i + 1] ?? '');
  return out;
}

/** Resolve after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Proxies started for one test file, all closed by `closeAll()` (call it in `afterAll`).
 * `upstream` is read at start time, so it may be assigned in `beforeAll`.
 */
export function proxyPool(upstream: () => TestUpstream): {
  start(overrides?: ProxyOptions): Promise<ProxyFixture>;
  closeAll(): Promise<void>;
} {
  const started: ProxyFixture[] = [];
  return {
    async start(overrides = {}) {
      const fx = await startProxy(upstream(), overrides);
      started.push(fx);
      return fx;
    },
    async closeAll() {
      for (const fx of started.splice(0)) await fx.close();
    },
  };
}
