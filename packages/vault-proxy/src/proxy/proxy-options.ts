import { type ConnectionOptions, type ResolvedConnection, resolveConnection } from '../connection/connection-options.js';
import { isLoopbackHost, parseHostHeader } from '../connection/host-names.js';
import { configInvalid } from '../errors.js';
import type { Env } from '../settings/env.js';
import { integerIn, type SettingParser } from '../settings/parsers.js';
import { readSetting } from '../settings/read-setting.js';
import { type LogFormat, type LogLevel, SETTINGS, type Setting } from '../settings/settings-table.js';
import { stderrSink } from './logger.js';

/**
 * Options of {@link createProxy}. Every field is optional: an unset field is
 * read from its environment variable (see the settings table), then falls
 * back to its default. The connection fields (`upstream`, `connectTo`,
 * `caFile`, `ca`, `userAgent`, the CF token) are those of
 * {@link ConnectionOptions}; a caller that already resolved them passes
 * `connection` instead.
 */
export interface ProxyOptions extends ConnectionOptions {
  /** An already resolved connection (wins over the connection fields and their variables). Default: resolved here. */
  connection?: ResolvedConnection;
  /** Address to bind. Default `127.0.0.1` (`VAULT_PROXY_HOST`). A non-loopback address is allowed but warned about. */
  host?: string;
  /** Port to bind; `0` picks a free one. Default `2019` (`VAULT_PROXY_PORT`). */
  port?: number;
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
  /**
   * Keep agent sessions alive past their access token's lifetime: remember
   * (in memory only) the credentials of an identity that logs in through the
   * proxy and log it in again when its token expires. Default `true`
   * (`VAULT_PROXY_RENEW_TOKENS`).
   */
  renewTokens?: boolean;
  /** Milliseconds `close()` waits for in-flight requests before cutting them. Default `10000`. */
  shutdownTimeoutMs?: number;
}

/** Options after defaults, environment and validation: what the proxy runs with. */
export interface ResolvedProxyOptions {
  /** How the vault is reached, with the Cloudflare Access token (the secret stays in a `SecretValue`). */
  readonly connection: ResolvedConnection;
  readonly host: string;
  readonly port: number;
  readonly upstreamTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Extra lower-case `name` or `name:port` entries accepted in `Host`, besides `localhost`, `127.0.0.1` and `[::1]`. */
  readonly allowedHosts: readonly string[];
  readonly logFormat: LogFormat;
  readonly logLevel: LogLevel;
  readonly logSink: (line: string) => void;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxHeaderSize: number;
  readonly maxHeaderCount: number;
  readonly poolSize: number;
  readonly renewTokens: boolean;
  readonly shutdownTimeoutMs: number;
  /** Whether `host` is a loopback address or `localhost`. */
  readonly isLoopbackBind: boolean;
}

/** A setting read from its row: option, then variable, then default (always defined for these rows). */
function read<T>(row: Setting<T>, explicit: unknown, env: Env): T {
  return readSetting(row, explicit, env) as T;
}

/** An option without an environment variable: validated the same way, named as the option. */
function optionOnly(name: string, value: number | undefined, fallback: number, parse: SettingParser<number>): number {
  if (value === undefined) return fallback;
  const row: Setting<number> = { env: name, option: name, default: fallback, defaultText: '', help: '', secret: false, usedBy: [], parse };
  return read(row, value, {});
}

/** Validate the allow-list entries (`name` or `name:port`), lower-cased. */
function allowedHostEntries(entries: readonly string[], explicit: boolean): string[] {
  return entries.map((entry) => {
    const parsed = parseHostHeader(entry);
    if (parsed === undefined) {
      throw configInvalid(
        explicit ? 'allowedHosts' : SETTINGS.allowedHosts.env,
        explicit ? 'option' : 'env',
        'holds an entry that is not name or name:port',
        'List host names separated by commas.',
      );
    }
    return parsed.port === undefined ? parsed.name : `${parsed.name}:${parsed.port}`;
  });
}

/**
 * Resolve and validate proxy options: explicit `options` win over `env`,
 * which wins over defaults. Throws `VaultProxyError('CONFIG_INVALID')`
 * naming the option or variable at fault, never its value.
 */
export function resolveProxyOptions(options: ProxyOptions = {}, env: Env = process.env): ResolvedProxyOptions {
  // The proxy's own settings first, so a bad port is reported before a missing token.
  const host = read(SETTINGS.host, options.host, env);
  const port = read(SETTINGS.port, options.port, env);
  const allowed = read(SETTINGS.allowedHosts, options.allowedHosts, env);
  const connection = options.connection ?? resolveConnection(options, env);
  return {
    connection,
    host,
    port,
    upstreamTimeoutMs: read(SETTINGS.upstreamTimeoutMs, options.upstreamTimeoutMs, env),
    idleTimeoutMs: read(SETTINGS.idleTimeoutMs, options.idleTimeoutMs, env),
    allowedHosts: [...new Set(allowedHostEntries(allowed, options.allowedHosts !== undefined))],
    logFormat: read(SETTINGS.logFormat, options.logFormat, env),
    logLevel: read(SETTINGS.logLevel, options.logLevel, env),
    logSink: options.logSink ?? stderrSink,
    headersTimeoutMs: optionOnly('headersTimeoutMs', options.headersTimeoutMs, 10_000, integerIn(100, 600_000)),
    requestTimeoutMs: optionOnly('requestTimeoutMs', options.requestTimeoutMs, 120_000, integerIn(100, 3_600_000)),
    maxHeaderSize: optionOnly('maxHeaderSize', options.maxHeaderSize, 16_384, integerIn(1024, 1_048_576)),
    maxHeaderCount: optionOnly('maxHeaderCount', options.maxHeaderCount, 100, integerIn(8, 1000)),
    poolSize: read(SETTINGS.poolSize, options.poolSize, env),
    renewTokens: read(SETTINGS.renewTokens, options.renewTokens, env),
    shutdownTimeoutMs: optionOnly('shutdownTimeoutMs', options.shutdownTimeoutMs, 10_000, integerIn(0, 600_000)),
    isLoopbackBind: isLoopbackHost(host),
  };
}
