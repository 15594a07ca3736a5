import type { AxiosResponse } from 'axios';
import { isCloudflareMarked, isCloudflareRefusal, PROXY_CLOUDFLARE_CODES } from '../cloudflare/cloudflare-answer.js';
import { VaultProxyError } from '../errors.js';

/** What a failed call is known by in errors: never a body, header or query value. @internal */
export interface CallSite {
  readonly method: string;
  /** Path without query string. */
  readonly path: string;
}

function text(value: unknown, max = 300): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** Infisical's 422 `message` is an array of zod issues: keep only each issue's path and message. */
function infisicalMessage(raw: unknown): string | undefined {
  if (Array.isArray(raw)) {
    const parts = raw
      .map((issue) => {
        if (typeof issue !== 'object' || issue === null) return undefined;
        const { path, message } = issue as { path?: unknown; message?: unknown };
        const where = Array.isArray(path) ? path.filter((p) => typeof p === 'string' || typeof p === 'number').join('.') : '';
        const what = text(message, 200);
        return what ? (where ? `${where}: ${what}` : what) : undefined;
      })
      .filter(Boolean);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return text(raw);
}

/**
 * Whether a response came from Cloudflare itself (Access denial, Bot Fight
 * Mode block, login redirect), not from Infisical: Cloudflare stamps
 * `server: cloudflare` on everything it relays, so a 403 counts only when
 * its body is not Infisical's JSON error (`reqId`/`statusCode`).
 */
function isCloudflareAnswer(response: AxiosResponse): boolean {
  const headers = response.headers as Record<string, unknown>;
  if (response.status === 302 && isCloudflareMarked(headers)) return true;
  const data = response.data as Record<string, unknown> | undefined;
  const infisicalBody = typeof data === 'object' && data !== null && ('reqId' in data || 'statusCode' in data);
  return isCloudflareRefusal(response.status, headers) && !infisicalBody;
}

/**
 * Turn a non-2xx answer into `VaultProxyError('INFISICAL_HTTP')` carrying the
 * status and Infisical's `error`, `message` and `reqId`. The request (body,
 * headers, query) is not kept: only method and path. @internal
 */
export function httpError(response: AxiosResponse, site: CallSite): VaultProxyError {
  const body = typeof response.data === 'object' && response.data !== null ? (response.data as Record<string, unknown>) : {};
  const status = response.status;
  const error = text(body.error, 100);
  const message = infisicalMessage(body.message);
  const reqId = text(body.reqId, 100);
  const base = { status, method: site.method, path: site.path, ...(error ? { error } : {}), ...(message ? { message } : {}) };
  const details = reqId ? { ...base, reqId } : base;
  if (isCloudflareAnswer(response) || (error !== undefined && PROXY_CLOUDFLARE_CODES.has(error))) {
    return new VaultProxyError(
      'INFISICAL_HTTP',
      `${site.method} ${site.path} → ${status}: Cloudflare Access refused — failure mode B. Check CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET (stale or for another application) and the User-Agent.`,
      { details: { ...details, failureMode: 'B', hint: 'Refresh the Cloudflare Access service token (runbook failure mode B).' } },
    );
  }
  const what = [error, message].filter(Boolean).join(': ') || 'no error body';
  return new VaultProxyError('INFISICAL_HTTP', `${site.method} ${site.path} → ${status} (${what})${reqId ? ` [${reqId}]` : ''}`, {
    details,
  });
}

/** Why a request got no answer, in words for the operator: through a local proxy (failure mode A) or straight to the vault. */
function noAnswerAdvice(code: string, proxyUrl: string | undefined): string {
  const timeout = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  if (proxyUrl === undefined) {
    return timeout ? 'The vault did not answer in time.' : 'Check the vault address, --connect-to and the network.';
  }
  if (code === 'ECONNREFUSED') {
    return `Nothing answers at the proxy ${proxyUrl}: is it running? Runbook failure mode A (docs/runbook.md §Failure mode A): start it with \`vault-proxy start\`.`;
  }
  return timeout
    ? `The proxy at ${proxyUrl} did not answer in time.`
    : `The connection to the proxy at ${proxyUrl} failed: check it is running (runbook failure mode A, docs/runbook.md §Failure mode A).`;
}

/**
 * Turn a failure without an answer (refused, reset, timeout, TLS) into
 * `VaultProxyError('INFISICAL_NETWORK')`. `proxyUrl` is the local proxy the
 * request went through, if any: only then is failure mode A named. The axios
 * error is NOT kept as cause (its config holds the request body and
 * headers); the cause is a fresh error with the system code and message only. @internal
 */
export function networkError(raw: unknown, site: CallSite, proxyUrl?: string): VaultProxyError {
  const err = raw as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const message = text(err?.message, 200) ?? 'network failure';
  const code =
    typeof err?.code === 'string' && err.code !== 'ERR_NETWORK'
      ? err.code
      : typeof err?.cause?.code === 'string'
        ? err.cause.code
        : // A connection cut without a system code ("socket hang up", a mocked network error) is a reset.
          /socket hang up|network error/i.test(message)
          ? 'ECONNRESET'
          : 'UNKNOWN';
  const cause = Object.assign(new Error(message), { code });
  const viaProxy = proxyUrl === undefined ? {} : { proxyUrl, failureMode: 'A' as const };
  return new VaultProxyError(
    'INFISICAL_NETWORK',
    `${site.method} ${site.path} failed before an answer (${code}: ${message}). ${noAnswerAdvice(code, proxyUrl)}`,
    { cause, details: { code, method: site.method, path: site.path, ...viaProxy } },
  );
}

/** `INFISICAL_RESPONSE_INVALID` for a 2xx answer that lacks a field the client needs. @internal */
export function responseInvalid(site: CallSite, field: string): VaultProxyError {
  return new VaultProxyError(
    'INFISICAL_RESPONSE_INVALID',
    `${site.method} ${site.path} answered without \`${field}\`. Is the base URL an Infisical server of a supported version?`,
    { details: { method: site.method, path: site.path, field } },
  );
}
