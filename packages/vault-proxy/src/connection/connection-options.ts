import type { CloudflareAccessToken } from '../cloudflare/access-headers.js';
import { CLOUDFLARE_HINTS } from '../cloudflare/failure-hints.js';
import { configInvalid } from '../errors.js';
import type { SecretValue } from '../secret-value.js';
import type { Env } from '../settings/env.js';
import { readSetting } from '../settings/read-setting.js';
import { DEFAULT_USER_AGENT, SETTINGS } from '../settings/settings-table.js';
import { isLoopbackHost } from './host-names.js';

/**
 * How to reach the vault, shared by the proxy, the Infisical client and
 * provisioning. Every field is optional: an unset one is read from its
 * environment variable, then falls back to its default. Resolve it once
 * with {@link resolveConnection} and pass the result down.
 */
export interface ConnectionOptions {
  /** The vault's origin. Default `https://vault.raxx.app` (`VAULT_PROXY_UPSTREAM`). Plain `http:` only for a loopback host. */
  upstream?: string;
  /** `host:port` to dial instead of resolving the vault's host; SNI, certificate check and Host keep the vault's name. Default unset (`VAULT_PROXY_CONNECT_TO`). */
  connectTo?: string;
  /** Path of an extra PEM CA to trust, on top of the public roots. Default unset (`VAULT_PROXY_CA_FILE`). */
  caFile?: string;
  /** Extra PEM CA text to trust, for library callers; added to `caFile`'s. Default unset. */
  ca?: string;
  /** User-Agent sent to the vault. Default `raxx-vault-proxy/1.0` (`VAULT_PROXY_USER_AGENT`). */
  userAgent?: string;
  /** Cloudflare Access service-token id. Required unless resolved with `cloudflare: 'optional'` (`CF_ACCESS_CLIENT_ID`). */
  cfAccessClientId?: string;
  /** Cloudflare Access service-token secret. Required like the id (`CF_ACCESS_CLIENT_SECRET`). */
  cfAccessClientSecret?: string | SecretValue;
}

/** A {@link ConnectionOptions} after environment, defaults and validation. */
export interface ResolvedConnection {
  /** The vault's origin, parsed. */
  readonly upstream: URL;
  /** `Host` header value sent to the vault (hostname plus a non-default port). */
  readonly upstreamHostHeader: string;
  /** Address dialled instead of the vault's host, when set. */
  readonly connectTo: { readonly host: string; readonly port: number } | undefined;
  /** The extra CA file, when set. */
  readonly caFile: string | undefined;
  /** Extra CA PEM text (from `caFile` and `ca`), when set. */
  readonly ca: string | undefined;
  readonly userAgent: string;
  /** The Cloudflare Access service token; `undefined` only when resolved with `cloudflare: 'optional'` and none is set. */
  readonly cloudflare: CloudflareAccessToken | undefined;
}

/** What {@link resolveConnection} insists on. */
export interface ConnectionRequirements {
  /** `required` (default): a missing CF token is a configuration error; `optional`: it may be absent (e.g. going through a running proxy). */
  readonly cloudflare?: 'required' | 'optional';
}

const CF_HINT = CLOUDFLARE_HINTS.missing;

/**
 * Resolve and validate how to reach the vault: `options` win over `env`,
 * which wins over defaults. Throws `CONFIG_INVALID` naming the option or
 * variable at fault, never its value.
 *
 * @example
 * ```ts
 * const connection = resolveConnection({}, process.env);
 * const proxy = createProxy({ connection });
 * ```
 */
export function resolveConnection(
  options: ConnectionOptions = {},
  env: Env = process.env,
  requirements: ConnectionRequirements = {},
): ResolvedConnection {
  // A copy: URL objects are mutable, and the default is shared.
  const upstream = new URL((readSetting(SETTINGS.upstream, options.upstream, env) as URL).href);
  if (upstream.protocol === 'http:' && !isLoopbackHost(upstream.hostname)) {
    const explicit = options.upstream !== undefined && options.upstream !== '';
    throw configInvalid(
      explicit ? 'upstream' : SETTINGS.upstream.env,
      explicit ? 'option' : 'env',
      'uses plain http to a non-loopback host',
      'Use https:// so the Cloudflare Access token is never sent in clear.',
    );
  }
  const connectTo = readSetting(SETTINGS.connectTo, options.connectTo, env);
  const caFile = readSetting(SETTINGS.caFile, options.caFile, env);
  const ca = [caFile?.pem ?? '', options.ca ?? ''].filter(Boolean).join('\n');
  const userAgent = readSetting(SETTINGS.userAgent, options.userAgent, env) ?? DEFAULT_USER_AGENT;
  const clientId = readSetting(SETTINGS.cfAccessClientId, options.cfAccessClientId, env);
  const clientSecret = readSetting(SETTINGS.cfAccessClientSecret, options.cfAccessClientSecret, env);
  const required = requirements.cloudflare !== 'optional';
  if (required || clientId || (clientSecret && clientSecret.reveal() !== '')) {
    if (!clientId) throw configInvalid(SETTINGS.cfAccessClientId.env, 'env', 'is not set', CF_HINT);
    if (!clientSecret || clientSecret.reveal() === '') throw configInvalid(SETTINGS.cfAccessClientSecret.env, 'env', 'is not set', CF_HINT);
  }
  const defaultPort = upstream.protocol === 'https:' ? '443' : '80';
  return {
    upstream,
    upstreamHostHeader: upstream.port && upstream.port !== defaultPort ? `${upstream.hostname}:${upstream.port}` : upstream.hostname,
    connectTo,
    caFile: caFile?.path,
    ca: ca === '' ? undefined : ca,
    userAgent,
    cloudflare: clientId && clientSecret ? { clientId, clientSecret } : undefined,
  };
}
