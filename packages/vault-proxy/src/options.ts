import { readFileSync } from 'node:fs';
import { VaultProxyError } from './errors.js';
import { isLoopbackHost, parseHostHeader } from './host-names.js';
import { PROXY_ENV } from './proxy-env.js';
import { SecretValue } from './secret-value.js';

/** Log verbosity, most to least. `silent` turns the access log off too. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
/** `pretty` is one human line per event; `json` one JSON object per line. */
export type LogFormat = 'pretty' | 'json';

/**
 * Options of {@link createProxy}. Every field is optional: an unset field is
 * read from its environment variable, then falls back to its default.
 */
export interface ProxyOptions {
  /** Address to bind. Default `127.0.0.1` (`VAULT_PROXY_HOST`). A non-loopback address is allowed but warned about. */
  host?: string;
  /** Port to bind; `0` picks a free one. Default `2019` (`VAULT_PROXY_PORT`). */
  port?: number;
  /** The vault's origin. Default `https://vault.raxx.app` (`VAULT_PROXY_UPSTREAM`). Plain `http:` only for a loopback host. */
  upstream?: string;
  /** Cloudflare Access service-token id. Required (`CF_ACCESS_CLIENT_ID`). */
  cfAccessClientId?: string;
  /** Cloudflare Access service-token secret. Required (`CF_ACCESS_CLIENT_SECRET`). */
  cfAccessClientSecret?: string | SecretValue;
  /** User-Agent sent upstream. Default `raxx-vault-proxy/1.0` (`VAULT_PROXY_USER_AGENT`). */
  userAgent?: string;
  /** `host:port` to dial instead of resolving the upstream's host; SNI, certificate check and Host keep the upstream's name. Default unset (`VAULT_PROXY_CONNECT_TO`). */
  connectTo?: string;
  /** Path of an extra PEM CA to trust for the upstream. Default unset (`VAULT_PROXY_CA_FILE`). */
  caFile?: string;
  /** PEM CA text to trust for the upstream, for library callers; added to `caFile`'s. Default unset. */
  ca?: string;
  /**
   * Milliseconds from the moment a request is fully sent upstream to the
   * complete response head; past it the client gets 504. A real deadline:
   * a vault that trickles header bytes does not extend it. Default `30000`
   * (`VAULT_PROXY_UPSTREAM_TIMEOUT_MS`).
   */
  upstreamTimeoutMs?: number;
  /**
   * Milliseconds a body may stall, in either direction (a client pausing its
   * upload, the vault pausing its answer, a client not reading), before the
   * exchange is cut. Default `120000` (`VAULT_PROXY_IDLE_TIMEOUT_MS`).
   */
  idleTimeoutMs?: number;
  /**
   * Extra names accepted in the `Host` header, as `name` or `name:port`.
   * A `Host` must be one of the allowed names, optionally followed by the
   * listening port (or the entry's own port). Default none
   * (`VAULT_PROXY_ALLOWED_HOSTS`, comma-separated).
   */
  allowedHosts?: readonly string[];
  /** Log line format. Default `pretty` (`VAULT_PROXY_LOG_FORMAT`). */
  logFormat?: LogFormat;
  /** Lowest level written. Default `info` (`VAULT_PROXY_LOG_LEVEL`). */
  logLevel?: LogLevel;
  /** Where log lines go. Default: standard error. */
  logSink?: (line: string) => void;
  /** Milliseconds a client has to send its request headers (slowloris bound). Default `10000`. */
  headersTimeoutMs?: number;
  /** Milliseconds a client has to send its whole request. Default `120000`. */
  requestTimeoutMs?: number;
  /** Largest request header block accepted, in bytes. Default `16384`. */
  maxHeaderSize?: number;
  /** Most request header lines accepted; more is answered 431, never forwarded with some dropped. Default `100`. */
  maxHeaderCount?: number;
  /** Upstream connection pool size (kept-alive TLS connections). Default `64` (`VAULT_PROXY_POOL_SIZE`). */
  poolSize?: number;
  /** Milliseconds `close()` waits for in-flight requests before cutting them. Default `10000`. */
  shutdownTimeoutMs?: number;
}

/** Options after defaults, environment and validation: what the proxy runs with. */
export interface ResolvedProxyOptions {
  readonly host: string;
  readonly port: number;
  /** The upstream origin, parsed. */
  readonly upstream: URL;
  /** `Host` header value sent upstream (hostname plus a non-default port). */
  readonly upstreamHostHeader: string;
  readonly cfAccessClientId: string;
  readonly cfAccessClientSecret: SecretValue;
  readonly userAgent: string;
  /** Address dialled instead of the upstream host, when set. */
  readonly connectTo: { readonly host: string; readonly port: number } | undefined;
  /** Extra CA PEM text (from `caFile` and `ca`), when set. */
  readonly ca: string | undefined;
  readonly caFile: string | undefined;
  readonly upstreamTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Extra lower-case `name` or `name:port` entries accepted in `Host`, besides `localhost`, `127.0.0.1` and `[::1]` (see {@link parseHostHeader}). */
  readonly allowedHosts: readonly string[];
  readonly logFormat: LogFormat;
  readonly logLevel: LogLevel;
  readonly logSink: (line: string) => void;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxHeaderSize: number;
  readonly maxHeaderCount: number;
  readonly poolSize: number;
  readonly shutdownTimeoutMs: number;
  /** Whether `host` is a loopback address or `localhost`. */
  readonly isLoopbackBind: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

function invalid(field: string, problem: string, hint: string): VaultProxyError {
  return new VaultProxyError('CONFIG_INVALID', `${field} ${problem}. ${hint}`, { details: { field, hint } });
}

/** The name to blame for a field: the env variable when the value came from there, else the option. */
function fieldName(option: keyof ProxyOptions, fromEnv: boolean): string {
  const env = PROXY_ENV.find((b) => b.option === option)?.env;
  return fromEnv && env ? env : `option \`${option}\``;
}

function pick<K extends keyof ProxyOptions>(options: ProxyOptions, env: Env, key: K): { raw: unknown; field: string } {
  const explicit = options[key];
  if (explicit !== undefined) return { raw: explicit, field: fieldName(key, false) };
  const binding = PROXY_ENV.find((b) => b.option === key);
  const fromEnv = binding ? env[binding.env] : undefined;
  return { raw: fromEnv === '' ? undefined : fromEnv, field: fieldName(key, true) };
}

function integer(options: ProxyOptions, env: Env, key: keyof ProxyOptions, fallback: number, min: number, max: number): number {
  const { raw, field } = pick(options, env, key);
  if (raw === undefined) return fallback;
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw).trim()) ? Number(String(raw).trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(
      field,
      `must be an integer from ${min} to ${max}`,
      `Set ${field} to a number in range or unset it for the default (${fallback}).`,
    );
  }
  return n;
}

function oneOf<T extends string>(options: ProxyOptions, env: Env, key: keyof ProxyOptions, allowed: readonly T[], fallback: T): T {
  const { raw, field } = pick(options, env, key);
  if (raw === undefined) return fallback;
  const value = String(raw).trim().toLowerCase() as T;
  if (!allowed.includes(value)) throw invalid(field, `must be one of ${allowed.join(', ')}`, `Set ${field} to one of them or unset it.`);
  return value;
}

function parseUpstream(raw: unknown, field: string): URL {
  let url: URL;
  try {
    url = new URL(String(raw ?? 'https://vault.raxx.app'));
  } catch {
    throw invalid(field, 'is not a valid URL', 'Use an origin such as https://vault.raxx.app.');
  }
  if (url.username || url.password) throw invalid(field, 'must not contain credentials', 'Remove the user:password@ part.');
  if (url.pathname !== '/' || url.search || url.hash)
    throw invalid(field, 'must be an origin without path, query or fragment', 'Use only scheme://host[:port].');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw invalid(field, 'uses plain http to a non-loopback host', 'Use https:// so the Cloudflare Access token is never sent in clear.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(field, 'must use https:', 'Use https://host.');
  return url;
}

function parseConnectTo(raw: unknown, field: string): ResolvedProxyOptions['connectTo'] {
  if (raw === undefined) return undefined;
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(String(raw).trim());
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match?.[1] || port < 1 || port > 65535) throw invalid(field, 'must be host:port', 'For example 127.0.0.1:8443 or [::1]:8443.');
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

function readCa(caFile: string | undefined, ca: string | undefined, field: string): string | undefined {
  let text = '';
  if (caFile !== undefined) {
    try {
      text = readFileSync(caFile, 'utf8');
    } catch (cause) {
      throw new VaultProxyError('CONFIG_INVALID', `${field} cannot be read. Check that the file exists and is readable.`, {
        cause,
        details: { field },
      });
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      throw invalid(field, 'holds no PEM certificate', 'Point it at a PEM file with a CA certificate.');
  }
  const all = [text, ca ?? ''].filter(Boolean).join('\n');
  return all === '' ? undefined : all;
}

function requiredString(options: ProxyOptions, env: Env, key: keyof ProxyOptions, hint: string): string {
  const { raw, field } = pick(options, env, key);
  const value = raw instanceof SecretValue ? raw.reveal() : raw === undefined ? '' : String(raw);
  if (value.trim() === '') throw invalid(field, 'is not set', hint);
  if (/[\r\n\0]/.test(value)) throw invalid(field, 'contains a line break or NUL', 'Copy the value again without surrounding whitespace.');
  return value.trim();
}

/**
 * Resolve and validate proxy options: explicit `options` win over `env`,
 * which wins over defaults. Throws `VaultProxyError('CONFIG_INVALID')`
 * naming the option or variable at fault, never its value.
 */
export function resolveProxyOptions(options: ProxyOptions = {}, env: Env = process.env): ResolvedProxyOptions {
  const host = String(pick(options, env, 'host').raw ?? '127.0.0.1').trim();
  const port = integer(options, env, 'port', 2019, 0, 65535);
  const upstreamPick = pick(options, env, 'upstream');
  const upstream = parseUpstream(upstreamPick.raw, upstreamPick.field);
  const cfHint = 'Export the Cloudflare Access service token (runbook §Session start 1; failure mode B).';
  const cfAccessClientId = requiredString(options, env, 'cfAccessClientId', cfHint);
  const cfAccessClientSecret = new SecretValue(requiredString(options, env, 'cfAccessClientSecret', cfHint));
  const userAgent = String(pick(options, env, 'userAgent').raw ?? 'raxx-vault-proxy/1.0').trim();
  if (userAgent === '' || /[\r\n\0]/.test(userAgent))
    throw invalid(
      fieldName('userAgent', options.userAgent === undefined),
      'is not a valid header value',
      'Use a short product/version string.',
    );
  const connectPick = pick(options, env, 'connectTo');
  const connectTo = parseConnectTo(connectPick.raw, connectPick.field);
  const caPick = pick(options, env, 'caFile');
  const caFile = caPick.raw === undefined ? undefined : String(caPick.raw);
  const ca = readCa(caFile, options.ca, caPick.field);
  const allowedPick = pick(options, env, 'allowedHosts');
  const extraHosts = (Array.isArray(allowedPick.raw) ? allowedPick.raw : String(allowedPick.raw ?? '').split(','))
    .map((h: unknown) => String(h).trim())
    .filter(Boolean)
    .map((h: string) => {
      const parsed = parseHostHeader(h);
      if (parsed === undefined)
        throw invalid(allowedPick.field, 'holds an entry that is not name or name:port', 'List host names separated by commas.');
      return parsed.port === undefined ? parsed.name : `${parsed.name}:${parsed.port}`;
    });
  const allowedHosts = [...new Set(extraHosts)];
  const defaultPort = upstream.protocol === 'https:' ? '443' : '80';
  return {
    host,
    port,
    upstream,
    upstreamHostHeader: upstream.port && upstream.port !== defaultPort ? `${upstream.hostname}:${upstream.port}` : upstream.hostname,
    cfAccessClientId,
    cfAccessClientSecret,
    userAgent,
    connectTo,
    ca,
    caFile,
    upstreamTimeoutMs: integer(options, env, 'upstreamTimeoutMs', 30_000, 1, 600_000),
    idleTimeoutMs: integer(options, env, 'idleTimeoutMs', 120_000, 100, 3_600_000),
    allowedHosts,
    logFormat: oneOf(options, env, 'logFormat', LOG_FORMATS, 'pretty'),
    logLevel: oneOf(options, env, 'logLevel', LOG_LEVELS, 'info'),
    logSink: options.logSink ?? ((line) => process.stderr.write(`${line}\n`)),
    headersTimeoutMs: integer(options, env, 'headersTimeoutMs', 10_000, 100, 600_000),
    requestTimeoutMs: integer(options, env, 'requestTimeoutMs', 120_000, 100, 3_600_000),
    maxHeaderSize: integer(options, env, 'maxHeaderSize', 16_384, 1024, 1_048_576),
    maxHeaderCount: integer(options, env, 'maxHeaderCount', 100, 8, 1000),
    poolSize: integer(options, env, 'poolSize', 64, 1, 4096),
    shutdownTimeoutMs: integer(options, env, 'shutdownTimeoutMs', 10_000, 0, 600_000),
    isLoopbackBind: isLoopbackHost(host),
  };
}
