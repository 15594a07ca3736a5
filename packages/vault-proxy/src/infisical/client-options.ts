import type { ResolvedConnection } from '../connection/connection-options.js';
import { isLoopbackHost } from '../connection/host-names.js';
import { configInvalid } from '../errors.js';
import { DEFAULT_USER_AGENT } from '../settings/settings-table.js';

/**
 * Options of {@link createInfisicalClient}. Nothing is read from the
 * environment here: the client talks either to the vault directly, over a
 * connection its caller resolved (`resolveConnection`), or to a running local
 * proxy, which adds the Cloudflare Access headers itself.
 */
export interface InfisicalClientOptions {
  /** A resolved connection to the vault, carrying the Cloudflare Access token. Give this or `proxyUrl`. */
  connection?: ResolvedConnection;
  /** The URL of a running local proxy (`http://127.0.0.1:2019`): loopback `http:` only. Give this or `connection`. */
  proxyUrl?: string;
  /** Milliseconds a single request may take. Default `30000`. */
  timeoutMs?: number;
  /** Retries of an idempotent call after 429, 5xx or a dropped connection. Default `2`. */
  retries?: number;
  /** Base back-off in milliseconds, doubled per retry (a 429's own wait is capped at 10× this). Default `250`. */
  retryDelayMs?: number;
  /** Milliseconds before expiry at which an access token is renewed ahead of use. Default `30000`. */
  tokenRenewMarginMs?: number;
  /** Clock used for token expiry bookkeeping, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Wait used between retries. Default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
}

/** Client options after defaults and validation. @internal */
export interface ResolvedInfisicalClientOptions {
  readonly baseUrl: URL;
  /** The direct connection (TLS via the shared dialer, Cloudflare headers); `undefined` through a local proxy. */
  readonly connection: ResolvedConnection | undefined;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly tokenRenewMarginMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

function int(value: number | undefined, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw configInvalid(field, 'option', `must be an integer from ${min} to ${max}`, 'Fix or omit it.');
  return value;
}

function proxyOrigin(proxyUrl: string): URL {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw configInvalid('proxyUrl', 'option', 'is not a valid URL', 'Use the proxy’s URL, for example http://127.0.0.1:2019.');
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || url.pathname !== '/' || url.search || url.username)
    throw configInvalid('proxyUrl', 'option', 'must be a loopback http origin', 'For example http://127.0.0.1:2019.');
  return url;
}

/** Resolve and validate client options. Throws `CONFIG_INVALID` naming the option, never its value. @internal */
export function resolveInfisicalClientOptions(options: InfisicalClientOptions): ResolvedInfisicalClientOptions {
  if ((options.connection === undefined) === (options.proxyUrl === undefined)) {
    throw configInvalid(
      'connection',
      'option',
      'or `proxyUrl` must be given (exactly one)',
      'Pass resolveConnection(...) to reach the vault directly, or a local proxy URL.',
    );
  }
  const connection = options.connection;
  if (connection && !connection.cloudflare && connection.upstream.protocol === 'https:') {
    throw configInvalid(
      'connection',
      'option',
      'has no Cloudflare Access token',
      'Resolve it with the token set, or go through a local proxy (proxyUrl).',
    );
  }
  return {
    baseUrl: connection ? connection.upstream : proxyOrigin(options.proxyUrl as string),
    connection,
    userAgent: connection?.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: int(options.timeoutMs, 'timeoutMs', 30_000, 1, 600_000),
    retries: int(options.retries, 'retries', 2, 0, 10),
    retryDelayMs: int(options.retryDelayMs, 'retryDelayMs', 250, 0, 60_000),
    tokenRenewMarginMs: int(options.tokenRenewMarginMs, 'tokenRenewMarginMs', 30_000, 0, 3_600_000),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
