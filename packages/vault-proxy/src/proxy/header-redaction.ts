import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Header names whose values are credentials; lower-case. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'cf-access-client-id',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'cf-access-client-secret',
  'cf-access-jwt-assertion',
  'cf-access-token',
  'cf-authorization',
  'x-api-key',
  'x-auth-token',
  'x-access-token',
  'x-vault-token',
]);

const REDACTED = '[redacted]';

/**
 * A copy of `headers` safe to log: credential-bearing headers (Authorization,
 * Cookie, Set-Cookie, CF-Access-Client-Secret, CF-Access-Jwt-Assertion,
 * Proxy-Authorization, X-Api-Key, …) become `[redacted]`. Names are
 * lower-cased; repeated headers become arrays. Accepts raw header lists too.
 */
export function redactHeaders(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders | Record<string, unknown> | readonly string[],
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  const add = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    const safe = CREDENTIAL_HEADERS.has(lower) ? REDACTED : value;
    const prev = result[lower];
    if (prev === undefined) result[lower] = safe;
    else if (Array.isArray(prev)) prev.push(safe);
    else result[lower] = [prev, safe];
  };
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) add(String(headers[i]), String(headers[i + 1]));
    return result;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) add(name, String(v));
    else add(name, String(value));
  }
  return result;
}
