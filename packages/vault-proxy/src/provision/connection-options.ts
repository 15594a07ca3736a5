import { readFileSync } from 'node:fs';
import { VaultProxyError } from '../errors.js';
import { isLoopbackHost } from '../host-names.js';
import type { UniversalAuthCredentials } from '../infisical/api-types.js';
import type { InfisicalClientOptions } from '../infisical/client-options.js';
import type { ProxyOptions } from '../options.js';
import { SecretValue } from '../secret-value.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How provisioning reaches the vault and who it acts as. Unset fields are
 * read from the environment variable named in each field's doc; secrets are
 * only ever taken from there or from a `SecretValue`, never from a flag.
 */
export interface VaultConnectionOptions {
  /** The vault's origin. Default `https://vault.raxx.app` (`VAULT_PROXY_UPSTREAM`). */
  vaultUrl?: string;
  /** `host:port` to dial instead of the vault's host, as the proxy's `--connect-to`. Default unset (`VAULT_PROXY_CONNECT_TO`). */
  connectTo?: string;
  /** Extra PEM CA file to trust for the vault. Default unset (`VAULT_PROXY_CA_FILE`). */
  caFile?: string;
  /** Extra PEM CA text to trust, for library callers. Default unset. */
  ca?: string;
  /** User-Agent sent to the vault. Default `raxx-vault-proxy/1.0` (`VAULT_PROXY_USER_AGENT`). */
  userAgent?: string;
  /** Cloudflare Access service-token id. Required (`CF_ACCESS_CLIENT_ID`). */
  cfAccessClientId?: string;
  /** Cloudflare Access service-token secret. Required (`CF_ACCESS_CLIENT_SECRET`). */
  cfAccessClientSecret?: SecretValue;
  /** Client id of the admin machine identity. Required (`INFISICAL_CLIENT_ID`). */
  adminClientId?: string;
  /** Client secret of the admin machine identity. Required (`INFISICAL_CLIENT_SECRET`). */
  adminClientSecret?: SecretValue;
  /** The Infisical project id. Required (`INFISICAL_PROJECT_ID`). */
  projectId?: string;
  /** Milliseconds one vault request may take. Default `30000`. */
  timeoutMs?: number;
  /** Retries of idempotent vault calls after 429/5xx. Default `2`. */
  retries?: number;
  /** Base back-off between retries in milliseconds. Default `250`. */
  retryDelayMs?: number;
}

/** Connection options after environment, defaults and validation. @internal */
export interface ResolvedVaultConnection {
  /** Options for the admin's direct client. */
  readonly client: InfisicalClientOptions;
  /** Options for an in-process proxy in front of the same vault. */
  readonly proxy: ProxyOptions;
  readonly admin: UniversalAuthCredentials;
  readonly projectId: string;
}

function configError(field: string, problem: string, hint: string): VaultProxyError {
  return new VaultProxyError('CONFIG_INVALID', `${field} ${problem}. ${hint}`, { details: { field, hint } });
}

function required(explicit: string | SecretValue | undefined, env: Env, option: string, envName: string, hint: string): string {
  const fromOption = explicit instanceof SecretValue ? explicit.reveal() : explicit;
  const raw = fromOption ?? env[envName];
  const field = fromOption !== undefined ? `option \`${option}\`` : envName;
  const value = raw?.trim() ?? '';
  if (value === '') throw configError(field, 'is not set', hint);
  if (/[\r\n\0]/.test(value)) throw configError(field, 'contains a line break or NUL', 'Copy the value again.');
  return value;
}

function optional(explicit: string | undefined, env: Env, envName: string): string | undefined {
  const raw = explicit ?? env[envName];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** Resolve and validate where the vault is and the admin/Cloudflare credentials. Throws `CONFIG_INVALID` naming the field. @internal */
export function resolveVaultConnection(options: VaultConnectionOptions, env: Env): ResolvedVaultConnection {
  const vaultUrl = optional(options.vaultUrl, env, 'VAULT_PROXY_UPSTREAM') ?? 'https://vault.raxx.app';
  const urlField = options.vaultUrl !== undefined ? 'option `vaultUrl`' : 'VAULT_PROXY_UPSTREAM';
  let url: URL;
  try {
    url = new URL(vaultUrl);
  } catch {
    throw configError(urlField, 'is not a valid URL', 'Use an origin such as https://vault.raxx.app.');
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw configError(urlField, 'must be an origin', 'Use only scheme://host[:port].');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw configError(urlField, 'must use https:', 'Plain http is accepted only for a loopback host.');
  }
  const connectTo = optional(options.connectTo, env, 'VAULT_PROXY_CONNECT_TO');
  if (connectTo !== undefined && !/^(\[[^\]]+\]|[^:[\]]+):\d{1,5}$/.test(connectTo)) {
    throw configError(
      options.connectTo !== undefined ? 'option `connectTo`' : 'VAULT_PROXY_CONNECT_TO',
      'must be host:port',
      'For example 127.0.0.1:8443.',
    );
  }
  const caFile = optional(options.caFile, env, 'VAULT_PROXY_CA_FILE');
  let ca = options.ca;
  if (caFile !== undefined) {
    const caField = options.caFile !== undefined ? 'option `caFile`' : 'VAULT_PROXY_CA_FILE';
    let pem: string;
    try {
      pem = readFileSync(caFile, 'utf8');
    } catch (cause) {
      throw new VaultProxyError('CONFIG_INVALID', `${caField} cannot be read. Check that the file exists and is readable.`, {
        cause,
        details: { field: caField },
      });
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw configError(caField, 'holds no PEM certificate', 'Point it at a PEM CA file.');
    ca = [pem, ca].filter(Boolean).join('\n');
  }
  const userAgent = optional(options.userAgent, env, 'VAULT_PROXY_USER_AGENT') ?? 'raxx-vault-proxy/1.0';
  const cfHint = 'Export the Cloudflare Access service token (runbook §Session start 1; failure mode B).';
  const adminHint = 'Export the admin machine identity (runbook §Onboarding prompt, Prerequisites).';
  const cfAccessClientId = required(options.cfAccessClientId, env, 'cfAccessClientId', 'CF_ACCESS_CLIENT_ID', cfHint);
  const cfAccessClientSecret = new SecretValue(
    required(options.cfAccessClientSecret, env, 'cfAccessClientSecret', 'CF_ACCESS_CLIENT_SECRET', cfHint),
  );
  const admin: UniversalAuthCredentials = {
    clientId: required(options.adminClientId, env, 'adminClientId', 'INFISICAL_CLIENT_ID', adminHint),
    clientSecret: new SecretValue(required(options.adminClientSecret, env, 'adminClientSecret', 'INFISICAL_CLIENT_SECRET', adminHint)),
  };
  const projectId = required(options.projectId, env, 'projectId', 'INFISICAL_PROJECT_ID', adminHint);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(projectId)) {
    throw configError(
      options.projectId !== undefined ? 'option `projectId`' : 'INFISICAL_PROJECT_ID',
      'is not a project id',
      'Use the project UUID.',
    );
  }
  const shared = {
    cfAccessClientId,
    cfAccessClientSecret,
    userAgent,
    ...(connectTo !== undefined ? { connectTo } : {}),
    ...(ca !== undefined ? { ca } : {}),
  };
  return {
    client: {
      ...shared,
      baseUrl: url.origin,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    },
    proxy: { ...shared, upstream: url.origin, host: '127.0.0.1', port: 0, logLevel: 'silent' },
    admin,
    projectId,
  };
}
