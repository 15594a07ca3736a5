import type { SecretValue } from '../secret-value.js';
import { boolean, hostPort, id, integerIn, list, oneOf, origin, pemFile, type SettingParser, secret, secretPath, text } from './parsers.js';

/** The three command-line tools, by bin name. */
export type ToolName = 'vault-proxy' | 'vault-provision' | 'enable-vault-mcp';

/** Log verbosity, most to least. `silent` turns the access log off too. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
/** `pretty` is one human line per event; `json` one JSON object per line. */
export type LogFormat = 'pretty' | 'json';

/**
 * One environment variable: its name, the library option and CLI flag that
 * override it, its default, how it is parsed, and its help text. The table
 * ({@link SETTINGS}) is the one source for option resolution, every CLI's
 * `--help` and the README's configuration table.
 */
export interface Setting<T> {
  /** The environment variable. */
  readonly env: string;
  /** The library option that wins over the variable, when there is one. */
  readonly option?: string;
  /** The CLI flag (without `--`) that wins over the variable; secrets never have one (argv is visible in `ps`). */
  readonly flag?: string;
  /** The value used when nothing is set; `undefined` for "unset" or "required". */
  readonly default: T | undefined;
  /** The default as help and the README show it. */
  readonly defaultText: string;
  /** One line of help. */
  readonly help: string;
  /** Whether the value is a secret: read from the environment only, never printed. */
  readonly secret: boolean;
  /** Which tools read it. */
  readonly usedBy: readonly ToolName[];
  readonly parse: SettingParser<T>;
}

function setting<T>(row: Omit<Setting<T>, 'secret'> & { secret?: boolean }): Setting<T> {
  return { secret: false, ...row };
}

const PROXY: readonly ToolName[] = ['vault-proxy'];
const ALL: readonly ToolName[] = ['vault-proxy', 'vault-provision', 'enable-vault-mcp'];
const VAULT: readonly ToolName[] = ['vault-proxy', 'vault-provision'];

/** Default port of the proxy (the runbook's `localhost:2019`). */
export const DEFAULT_PORT = 2019;
/** Default vault origin. */
export const DEFAULT_UPSTREAM = 'https://vault.raxx.app';
/** User-Agent that passes Cloudflare Bot Fight Mode (library defaults are blocked). */
export const DEFAULT_USER_AGENT = 'raxx-vault-proxy/1.0';

/** Every environment variable the package and its tools read, in help order. */
export const SETTINGS = {
  host: setting<string>({
    env: 'VAULT_PROXY_HOST',
    option: 'host',
    flag: 'host',
    default: '127.0.0.1',
    defaultText: '127.0.0.1',
    help: 'address the proxy binds; a non-loopback address works but is warned about',
    usedBy: PROXY,
    parse: text,
  }),
  port: setting<number>({
    env: 'VAULT_PROXY_PORT',
    option: 'port',
    flag: 'port',
    default: DEFAULT_PORT,
    defaultText: String(DEFAULT_PORT),
    help: 'port of the proxy (0 picks a free one); also where enable-vault-mcp points the MCP server',
    // Not vault-provision: its Step 10 runs its own proxy on a free port (or --proxy-url).
    usedBy: ['vault-proxy', 'enable-vault-mcp'],
    parse: integerIn(0, 65535),
  }),
  upstream: setting<URL>({
    env: 'VAULT_PROXY_UPSTREAM',
    option: 'upstream',
    flag: 'upstream',
    default: new URL(DEFAULT_UPSTREAM),
    defaultText: DEFAULT_UPSTREAM,
    help: 'vault origin; plain http:// only for a loopback host',
    usedBy: VAULT,
    parse: origin,
  }),
  cfAccessClientId: setting<string>({
    env: 'CF_ACCESS_CLIENT_ID',
    option: 'cfAccessClientId',
    default: undefined,
    defaultText: '(required)',
    help: 'Cloudflare Access service-token id (environment only)',
    usedBy: ALL,
    parse: text,
  }),
  cfAccessClientSecret: setting<SecretValue>({
    env: 'CF_ACCESS_CLIENT_SECRET',
    option: 'cfAccessClientSecret',
    default: undefined,
    defaultText: '(required)',
    help: 'Cloudflare Access service-token secret (environment only, never a flag)',
    usedBy: ALL,
    secret: true,
    parse: secret,
  }),
  userAgent: setting<string>({
    env: 'VAULT_PROXY_USER_AGENT',
    option: 'userAgent',
    flag: 'user-agent',
    default: DEFAULT_USER_AGENT,
    defaultText: DEFAULT_USER_AGENT,
    help: 'User-Agent sent to the vault (passes Bot Fight Mode)',
    usedBy: VAULT,
    parse: text,
  }),
  connectTo: setting<{ readonly host: string; readonly port: number }>({
    env: 'VAULT_PROXY_CONNECT_TO',
    option: 'connectTo',
    flag: 'connect-to',
    default: undefined,
    defaultText: '(unset)',
    help: "host:port to dial instead of the vault's host; SNI, certificate check and Host keep the vault's name (curl's --connect-to)",
    usedBy: VAULT,
    parse: hostPort,
  }),
  caFile: setting<{ readonly path: string; readonly pem: string }>({
    env: 'VAULT_PROXY_CA_FILE',
    option: 'caFile',
    flag: 'ca-file',
    default: undefined,
    defaultText: '(unset)',
    help: 'extra PEM CA trusted for the vault, on top of the system roots (verification cannot be turned off)',
    usedBy: VAULT,
    parse: pemFile,
  }),
  upstreamTimeoutMs: setting<number>({
    env: 'VAULT_PROXY_UPSTREAM_TIMEOUT_MS',
    option: 'upstreamTimeoutMs',
    flag: 'upstream-timeout-ms',
    default: 30_000,
    defaultText: '30000',
    help: 'deadline from "request fully sent" to the complete response head → 504 (a trickling head does not extend it)',
    usedBy: PROXY,
    parse: integerIn(1, 600_000),
  }),
  idleTimeoutMs: setting<number>({
    env: 'VAULT_PROXY_IDLE_TIMEOUT_MS',
    option: 'idleTimeoutMs',
    flag: 'idle-timeout-ms',
    default: 120_000,
    defaultText: '120000',
    help: 'a body stalled this long in either direction (upload, answer, a client not reading) cuts the exchange',
    usedBy: PROXY,
    parse: integerIn(100, 3_600_000),
  }),
  allowedHosts: setting<string[]>({
    env: 'VAULT_PROXY_ALLOWED_HOSTS',
    option: 'allowedHosts',
    flag: 'allowed-hosts',
    default: [],
    defaultText: '(none)',
    help: 'extra name or name:port entries accepted in Host besides localhost, 127.0.0.1, [::1] (DNS-rebinding defence), comma-separated',
    usedBy: PROXY,
    parse: list,
  }),
  logFormat: setting<LogFormat>({
    env: 'VAULT_PROXY_LOG_FORMAT',
    option: 'logFormat',
    flag: 'log-format',
    default: 'pretty',
    defaultText: 'pretty',
    help: 'pretty | json; one access line per request (method, path without query values, status, upstream ms, bytes)',
    usedBy: PROXY,
    parse: oneOf<LogFormat>(['pretty', 'json']),
  }),
  logLevel: setting<LogLevel>({
    env: 'VAULT_PROXY_LOG_LEVEL',
    option: 'logLevel',
    flag: 'log-level',
    default: 'info',
    defaultText: 'info',
    help: 'debug | info | warn | error | silent; no level ever logs a secret',
    usedBy: PROXY,
    parse: oneOf<LogLevel>(['debug', 'info', 'warn', 'error', 'silent']),
  }),
  poolSize: setting<number>({
    env: 'VAULT_PROXY_POOL_SIZE',
    option: 'poolSize',
    flag: 'pool-size',
    default: 64,
    defaultText: '64',
    help: 'kept-alive upstream TLS connections',
    usedBy: PROXY,
    parse: integerIn(1, 4096),
  }),
  renewTokens: setting<boolean>({
    env: 'VAULT_PROXY_RENEW_TOKENS',
    option: 'renewTokens',
    flag: 'renew-tokens',
    default: true,
    defaultText: 'true',
    help: 'log an identity that logged in through the proxy in again when its access token expires (credentials in memory only)',
    usedBy: PROXY,
    parse: boolean,
  }),
  pidFile: setting<string>({
    env: 'VAULT_PROXY_PID_FILE',
    option: 'pidFile',
    flag: 'pid-file',
    default: undefined,
    defaultText: 'one per port in the runtime dir',
    help: 'pid file of start, stop, status and doctor, and of the proxy a session starts ($XDG_RUNTIME_DIR/vault-proxy/, else $TMPDIR/vault-proxy-<uid>/)',
    usedBy: ['vault-proxy', 'enable-vault-mcp'],
    parse: text,
  }),
  adminClientId: setting<string>({
    env: 'INFISICAL_CLIENT_ID',
    option: 'adminClientId',
    default: undefined,
    defaultText: '(required)',
    help: 'client id of the admin machine identity that provisions (environment only)',
    usedBy: ['vault-provision', 'enable-vault-mcp'],
    parse: text,
  }),
  adminClientSecret: setting<SecretValue>({
    env: 'INFISICAL_CLIENT_SECRET',
    option: 'adminClientSecret',
    default: undefined,
    defaultText: '(required)',
    help: 'its client secret (environment only, never a flag)',
    usedBy: ['vault-provision', 'enable-vault-mcp'],
    secret: true,
    parse: secret,
  }),
  projectId: setting<string>({
    env: 'INFISICAL_PROJECT_ID',
    option: 'projectId',
    flag: 'project-id',
    default: undefined,
    defaultText: "(required; doctor: the runbook's project)",
    help: 'the Infisical project (UUID)',
    usedBy: ['vault-proxy', 'vault-provision', 'enable-vault-mcp'],
    parse: id,
  }),
  mcpClientId: setting<string>({
    env: 'INFISICAL_MCP_CLIENT_ID',
    option: 'mcpClientId',
    default: undefined,
    defaultText: '(unset)',
    help: 'client id of the MCP identity; referenced by the MCP config, used by doctor checks C–D',
    usedBy: ['vault-proxy', 'enable-vault-mcp'],
    parse: text,
  }),
  mcpClientSecret: setting<SecretValue>({
    env: 'INFISICAL_MCP_CLIENT_SECRET',
    option: 'mcpClientSecret',
    default: undefined,
    defaultText: '(unset)',
    help: 'its client secret (environment only, never a flag)',
    usedBy: ['vault-proxy', 'enable-vault-mcp'],
    secret: true,
    parse: secret,
  }),
  probeKey: setting<string>({
    env: 'VAULT_PROBE_KEY',
    option: 'probeKey',
    flag: 'probe-key',
    default: undefined,
    defaultText: '(unset)',
    help: 'a key the MCP identity may read, for the end-to-end read check (doctor D, session)',
    usedBy: ['vault-proxy', 'enable-vault-mcp'],
    parse: text,
  }),
  probePath: setting<string>({
    env: 'VAULT_PROBE_PATH',
    option: 'probePath',
    flag: 'probe-path',
    default: '/MooseQuest/',
    defaultText: '/MooseQuest/',
    help: 'the folder of the probe key',
    usedBy: ['vault-proxy', 'enable-vault-mcp'],
    parse: secretPath,
  }),
} as const;

/** The name of a row of {@link SETTINGS}. */
export type SettingName = keyof typeof SETTINGS;

/** The rows, in table order. */
export function settingRows(): readonly Setting<unknown>[] {
  return Object.values(SETTINGS) as readonly Setting<unknown>[];
}
