import { readFileSync } from 'node:fs';
import { VaultProxyError } from '../errors.js';
import { isLoopbackHost } from '../host-names.js';
import { SecretValue } from '../secret-value.js';

/** Options of {@link createInfisicalClient}. Nothing is read from the environment here; callers pass what they resolved. */
export interface InfisicalClientOptions {
  /**
   * The vault's origin, or a running proxy's URL (`http://127.0.0.1:2019`).
   * Default `https://vault.raxx.app`. Plain `http:` only to a loopback host;
   * then no Cloudflare Access headers are sent (the proxy adds them).
   */
  baseUrl?: string;
  /** Cloudflare Access service-token id. Required unless `baseUrl` is a loopback `http:` proxy. */
  cfAccessClientId?: string;
  /** Cloudflare Access service-token secret. Required unless `baseUrl` is a loopback `http:` proxy. */
  cfAccessClientSecret?: string | SecretValue;
  /** User-Agent. Default `raxx-vault-proxy/1.0` (Cloudflare Bot Fight Mode blocks library defaults). */
  userAgent?: string;
  /** `host:port` to dial instead of resolving `baseUrl`'s host; SNI, certificate check and Host keep `baseUrl`'s name. Default unset. */
  connectTo?: string;
  /** Path of an extra PEM CA to trust (added to the default roots). Default unset. */
  caFile?: string;
  /** Extra PEM CA text to trust, added to `caFile`'s. Default unset. */
  ca?: string;
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
  /** Whether `baseUrl` is a loopback `http:` proxy (no Cloudflare headers, no TLS). */
  readonly viaLocalProxy: boolean;
  readonly cf: { readonly clientId: string; readonly clientSecret: SecretValue } | undefined;
  readonly userAgent: string;
  readonly connectTo: { readonly host: string; readonly port: number } | undefined;
  readonly ca: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly tokenRenewMarginMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

function invalid(field: string, problem: string, hint: string): VaultProxyError {
  return new VaultProxyError('CONFIG_INVALID', `Infisical client option \`${field}\` ${problem}. ${hint}`, {
    details: { field, hint },
  });
}

function int(value: number | undefined, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(field, `must be an integer from ${min} to ${max}`, 'Fix or omit it.');
  return value;
}

function headerSafe(value: string, field: string): string {
  const v = value.trim();
  if (v === '' || /[\r\n\0]/.test(v)) throw invalid(field, 'is empty or not a valid header value', 'Copy the value again.');
  return v;
}

/** Resolve and validate client options. Throws `CONFIG_INVALID` naming the option, never its value. @internal */
export function resolveInfisicalClientOptions(options: InfisicalClientOptions = {}): ResolvedInfisicalClientOptions {
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl ?? 'https://vault.raxx.app');
  } catch {
    throw invalid('baseUrl', 'is not a valid URL', 'Use an origin such as https://vault.raxx.app.');
  }
  if (baseUrl.username || baseUrl.password) throw invalid('baseUrl', 'must not contain credentials', 'Remove the user:password@ part.');
  if (baseUrl.pathname !== '/' || baseUrl.search || baseUrl.hash)
    throw invalid('baseUrl', 'must be an origin', 'Use only scheme://host[:port].');
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') throw invalid('baseUrl', 'must use https:', 'Use https://host.');
  const viaLocalProxy = baseUrl.protocol === 'http:';
  if (viaLocalProxy && !isLoopbackHost(baseUrl.hostname)) {
    throw invalid('baseUrl', 'uses plain http to a non-loopback host', 'Use https://, or the URL of a local proxy.');
  }
  let cf: ResolvedInfisicalClientOptions['cf'];
  if (!viaLocalProxy) {
    const hint = 'Pass the Cloudflare Access service token (runbook failure mode B), or go through a local proxy.';
    if (!options.cfAccessClientId) throw invalid('cfAccessClientId', 'is required for a direct https connection', hint);
    const secret = options.cfAccessClientSecret;
    const secretText = secret instanceof SecretValue ? secret.reveal() : (secret ?? '');
    if (secretText === '') throw invalid('cfAccessClientSecret', 'is required for a direct https connection', hint);
    cf = {
      clientId: headerSafe(options.cfAccessClientId, 'cfAccessClientId'),
      clientSecret: new SecretValue(headerSafe(secretText, 'cfAccessClientSecret')),
    };
  }
  let connectTo: ResolvedInfisicalClientOptions['connectTo'];
  if (options.connectTo !== undefined) {
    const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(options.connectTo.trim());
    const port = match ? Number(match[2]) : Number.NaN;
    if (!match?.[1] || port < 1 || port > 65535) throw invalid('connectTo', 'must be host:port', 'For example 127.0.0.1:8443.');
    connectTo = { host: match[1].replace(/^\[|\]$/g, ''), port };
  }
  let ca = options.ca ?? '';
  if (options.caFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.caFile, 'utf8');
    } catch (cause) {
      throw new VaultProxyError('CONFIG_INVALID', 'Infisical client option `caFile` cannot be read. Check that the file exists.', {
        cause,
        details: { field: 'caFile' },
      });
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw invalid('caFile', 'holds no PEM certificate', 'Point it at a PEM CA file.');
    ca = [text, ca].filter(Boolean).join('\n');
  }
  return {
    baseUrl,
    viaLocalProxy,
    cf,
    userAgent: headerSafe(options.userAgent ?? 'raxx-vault-proxy/1.0', 'userAgent'),
    connectTo,
    ca: ca === '' ? undefined : ca,
    timeoutMs: int(options.timeoutMs, 'timeoutMs', 30_000, 1, 600_000),
    retries: int(options.retries, 'retries', 2, 0, 10),
    retryDelayMs: int(options.retryDelayMs, 'retryDelayMs', 250, 0, 60_000),
    tokenRenewMarginMs: int(options.tokenRenewMarginMs, 'tokenRenewMarginMs', 30_000, 0, 3_600_000),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
