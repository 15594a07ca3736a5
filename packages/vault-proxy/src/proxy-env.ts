import type { ProxyOptions } from './options.js';

/** One row of the option ↔ environment mapping; the CLI builds its flags and help from these. */
export interface ProxyEnvBinding {
  /** The {@link ProxyOptions} field. */
  readonly option: keyof ProxyOptions;
  /** The environment variable. */
  readonly env: string;
  /** The default, as shown in help. */
  readonly defaultText: string;
  /** One line for help text. */
  readonly description: string;
  /** Whether the value is a secret (help never shows a current value for these). */
  readonly secret?: boolean;
}

/** The environment variables the proxy reads, in help order. */
export const PROXY_ENV: readonly ProxyEnvBinding[] = [
  { option: 'host', env: 'VAULT_PROXY_HOST', defaultText: '127.0.0.1', description: 'address to bind (loopback unless you mean it)' },
  { option: 'port', env: 'VAULT_PROXY_PORT', defaultText: '2019', description: 'port to bind (0 picks a free one)' },
  { option: 'upstream', env: 'VAULT_PROXY_UPSTREAM', defaultText: 'https://vault.raxx.app', description: 'vault origin to forward to' },
  { option: 'cfAccessClientId', env: 'CF_ACCESS_CLIENT_ID', defaultText: '(required)', description: 'Cloudflare Access service-token id' },
  {
    option: 'cfAccessClientSecret',
    env: 'CF_ACCESS_CLIENT_SECRET',
    defaultText: '(required)',
    description: 'Cloudflare Access service-token secret',
    secret: true,
  },
  { option: 'userAgent', env: 'VAULT_PROXY_USER_AGENT', defaultText: 'raxx-vault-proxy/1.0', description: 'User-Agent sent upstream' },
  {
    option: 'connectTo',
    env: 'VAULT_PROXY_CONNECT_TO',
    defaultText: '(unset)',
    description: 'host:port to dial instead of the upstream host (like curl --connect-to)',
  },
  { option: 'caFile', env: 'VAULT_PROXY_CA_FILE', defaultText: '(unset)', description: 'extra PEM CA file trusted for the upstream' },
  {
    option: 'upstreamTimeoutMs',
    env: 'VAULT_PROXY_UPSTREAM_TIMEOUT_MS',
    defaultText: '30000',
    description: 'ms from request sent to complete response head before 504',
  },
  {
    option: 'idleTimeoutMs',
    env: 'VAULT_PROXY_IDLE_TIMEOUT_MS',
    defaultText: '120000',
    description: 'ms a body may stall in either direction before the exchange is cut',
  },
  {
    option: 'allowedHosts',
    env: 'VAULT_PROXY_ALLOWED_HOSTS',
    defaultText: '(none)',
    description: 'extra Host names accepted (name or name:port), comma-separated',
  },
  { option: 'logFormat', env: 'VAULT_PROXY_LOG_FORMAT', defaultText: 'pretty', description: 'pretty | json' },
  { option: 'logLevel', env: 'VAULT_PROXY_LOG_LEVEL', defaultText: 'info', description: 'debug | info | warn | error | silent' },
  { option: 'poolSize', env: 'VAULT_PROXY_POOL_SIZE', defaultText: '64', description: 'kept-alive upstream connections' },
];
