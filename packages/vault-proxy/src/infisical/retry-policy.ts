/** When and how long to wait before retrying an idempotent call. @internal */

/** System codes of a dropped connection worth one more try (never a TLS or DNS failure). */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ECONNREFUSED',
]);

/** Whether an HTTP status is transient: rate limit or server-side failure. @internal */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Whether a connection failure (by system code) is transient. @internal */
export function isRetryableNetworkCode(code: string): boolean {
  return RETRYABLE_NETWORK_CODES.has(code);
}

/**
 * Milliseconds to wait before retry number `attempt` (0-based): `base · 2^attempt`;
 * for a 429 that names its wait (`Retry-After` or Infisical's "try again in N
 * seconds") that wait, capped at `10 · base` so a test's base of 0 stays 0.
 * @internal
 */
export function retryDelay(attempt: number, baseMs: number, retryAfterSeconds?: number): number {
  const backoff = baseMs * 2 ** attempt;
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0) return backoff;
  return Math.min(Math.max(backoff, retryAfterSeconds * 1000), baseMs * 10);
}

/** The wait a 429 names, from `Retry-After` or from Infisical's message. @internal */
export function retryAfterSeconds(headers: Record<string, unknown>, body: unknown): number | undefined {
  const header = Number(headers['retry-after']);
  if (Number.isFinite(header) && header >= 0) return header;
  const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const match = typeof message === 'string' ? /try again in (\d+) second/.exec(message) : null;
  return match ? Number(match[1]) : undefined;
}
