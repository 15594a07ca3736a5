/**
 * `@raxx/vault-proxy`: the localhost reverse proxy that adds the Cloudflare
 * Access service-token headers for the Raxx vault, and its header policy.
 * The other products have their own entries: `./infisical`, `./provision`,
 * `./mcp`, `./doctor`, `./process`, `./settings`.
 *
 * @example
 * ```ts
 * import { createProxy } from '@raxx/vault-proxy';
 * const proxy = createProxy(); // CF_ACCESS_CLIENT_ID / _SECRET from the environment
 * const { url } = await proxy.listen(); // http://127.0.0.1:2019
 * ```
 * @packageDocumentation
 */
export type { CloudflareAccessToken, VaultAccessCredentials } from './cloudflare/access-headers.js';
export { vaultAccessHeaders } from './cloudflare/access-headers.js';
export type { ConnectionOptions, ConnectionRequirements, ResolvedConnection } from './connection/connection-options.js';
export { resolveConnection } from './connection/connection-options.js';
export type { HostAndPort } from './connection/host-names.js';
export { isLoopbackHost, parseHostHeader } from './connection/host-names.js';
export type { UpstreamDialer } from './connection/upstream-dialer.js';
export { createUpstreamDialer } from './connection/upstream-dialer.js';
export type { VaultProxyErrorCode, VaultProxyErrorDetails } from './errors.js';
export { configInvalid, exitCodeFor, isVaultProxyError, VaultProxyError } from './errors.js';
export type {
  HeaderPolicy,
  ProxyAddress,
  ProxyHandle,
  ProxyHealth,
  ProxyOptions,
  RawHeaders,
  ResolvedProxyOptions,
} from './proxy/index.js';
export {
  createHeaderPolicy,
  createProxy,
  downstreamResponseHeaders,
  isManagedRequestHeader,
  isUnderscoreLookalike,
  LOCAL_PREFIX,
  PROXY_ERROR_HEADER,
  proxyErrorStatus,
  redactHeaders,
  resolveProxyOptions,
  upstreamRequestHeaders,
} from './proxy/index.js';
export { SecretValue } from './secret-value.js';
export type { LogFormat, LogLevel } from './settings/settings-table.js';
