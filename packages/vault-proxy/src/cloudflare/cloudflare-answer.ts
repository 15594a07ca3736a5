/**
 * Recognising answers made by Cloudflare's edge rather than relayed from
 * Infisical. Behind Cloudflare every answer carries `cf-ray` and
 * `server: cloudflare` — Infisical's own JSON 403 (RBAC, failure mode D)
 * included — so the mark alone proves nothing: an edge refusal is a 403
 * whose body is not JSON, or a redirect to the Access login.
 * @internal
 */

/** The proxy's own JSON `error` codes for a Cloudflare refusal (seen by clients going through it). */
export const PROXY_CLOUDFLARE_CODES: ReadonlySet<string> = new Set(['CF_ACCESS_DENIED', 'CF_ACCESS_LOGIN_REDIRECT']);

type HeaderBag = Readonly<Record<string, unknown>>;

/** Whether the answer went through Cloudflare (`server: cloudflare` or a `cf-ray`). */
export function isCloudflareMarked(headers: HeaderBag): boolean {
  return String(headers.server ?? '').toLowerCase() === 'cloudflare' || headers['cf-ray'] !== undefined;
}

/** Whether a 403 was Cloudflare's own refusal (Access or Bot Fight Mode): marked and not a JSON body. */
export function isCloudflareRefusal(status: number, headers: HeaderBag): boolean {
  return status === 403 && isCloudflareMarked(headers) && !String(headers['content-type'] ?? '').includes('json');
}

/** Whether a redirect `Location` points at a Cloudflare Access login page. */
export function isCloudflareAccessLogin(location: string, base: URL | string): boolean {
  try {
    const host = new URL(location, base).hostname.toLowerCase();
    return host === 'cloudflareaccess.com' || host.endsWith('.cloudflareaccess.com');
  } catch {
    return false;
  }
}
