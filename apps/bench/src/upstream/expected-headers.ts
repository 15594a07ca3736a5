import { randomBytes } from 'node:crypto';

/** The header values a correctly configured proxy must deliver upstream. */
export interface ExpectedHeaders {
  /** `Host` seen upstream (SNI and certificate name too). */
  readonly host: string;
  /** `User-Agent` the proxy must set, replacing the client's. */
  readonly userAgent: string;
  readonly cfAccessClientId: string;
  readonly cfAccessClientSecret: string;
  /** The client's `Authorization`, which must arrive untouched. */
  readonly authorization: string;
}

/** The vault name every target is configured for. */
export const UPSTREAM_HOST = 'vault.raxx.app';

/**
 * Fresh per-run values: the CF pair is a stand-in made for this run (no real
 * token is ever involved) and the bearer token looks like the one the MCP
 * server sends.
 */
export function createExpectedHeaders(): ExpectedHeaders {
  return {
    host: UPSTREAM_HOST,
    userAgent: 'raxx-vault-proxy/1.0',
    cfAccessClientId: `${randomBytes(16).toString('hex')}.access`,
    cfAccessClientSecret: randomBytes(32).toString('hex'),
    authorization: `Bearer eyJhbGciOiJIUzI1NiJ9.${randomBytes(96).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
  };
}

/** Headers the load generator sends through a proxy: what `@infisical/mcp` (axios) sends. */
export function clientHeaders(expected: ExpectedHeaders): Record<string, string> {
  return { authorization: expected.authorization, 'user-agent': 'axios/1.12.2', accept: 'application/json, text/plain, */*' };
}

/** Headers the load generator sends straight to the upstream: everything a proxy would have added, done by the client itself. */
export function directHeaders(expected: ExpectedHeaders): Record<string, string> {
  return {
    host: expected.host,
    authorization: expected.authorization,
    'user-agent': expected.userAgent,
    accept: 'application/json, text/plain, */*',
    'cf-access-client-id': expected.cfAccessClientId,
    'cf-access-client-secret': expected.cfAccessClientSecret,
  };
}
