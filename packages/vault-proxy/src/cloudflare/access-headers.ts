import type { SecretValue } from '../secret-value.js';

/** A Cloudflare Access service token: what a machine caller shows the Access gate. */
export interface CloudflareAccessToken {
  /** The token's client id (`CF_ACCESS_CLIENT_ID`). */
  readonly clientId: string;
  /** The token's secret (`CF_ACCESS_CLIENT_SECRET`), kept wrapped until it is sent. */
  readonly clientSecret: SecretValue;
}

/** What a direct (non-proxied) call to the vault needs to get past Cloudflare Access. */
export interface VaultAccessCredentials {
  /** Cloudflare Access service-token id. */
  cfAccessClientId: string;
  /** Cloudflare Access service-token secret. */
  cfAccessClientSecret: SecretValue;
  /** User-Agent that passes Bot Fight Mode, e.g. `raxx-vault-proxy/1.0`. */
  userAgent: string;
}

/**
 * The headers every vault call must carry: `CF-Access-Client-Id`,
 * `CF-Access-Client-Secret` and `User-Agent`. The returned object holds the
 * revealed secret: send it, never log it (use `redactHeaders`).
 *
 * @example
 * ```ts
 * const headers = vaultAccessHeaders({ cfAccessClientId: id, cfAccessClientSecret: new SecretValue(secret), userAgent: 'raxx-vault-proxy/1.0' });
 * await fetch('https://vault.raxx.app/api/status', { headers });
 * ```
 */
export function vaultAccessHeaders(creds: VaultAccessCredentials): Record<string, string> {
  return {
    'CF-Access-Client-Id': creds.cfAccessClientId,
    'CF-Access-Client-Secret': creds.cfAccessClientSecret.reveal(),
    'User-Agent': creds.userAgent,
  };
}
