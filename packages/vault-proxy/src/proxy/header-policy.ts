import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { vaultAccessHeaders } from '../cloudflare/access-headers.js';
import type { ResolvedConnection } from '../connection/connection-options.js';
import { VaultProxyError } from '../errors.js';
import { headerLines } from '../http1/head-writer.js';

/**
 * Headers as a flat `[name, value, name, value, …]` list, the shape of
 * `IncomingMessage.rawHeaders`. `http.request({ headers })` and
 * `res.writeHead(status, headers)` take it as is, so names keep their case,
 * repeated headers stay repeated and their order is preserved.
 */
export type RawHeaders = string[];

/**
 * Everything the per-request header filtering needs, computed once from
 * the resolved options so the hot path only looks names up in a Set and
 * appends a ready-made list. The injected values (which include the
 * secret) stay in a closure: serialising or inspecting a policy shows none.
 */
export interface HeaderPolicy {
  /** The `Host` value sent upstream. */
  readonly upstreamHost: string;
  /** Lower-case request header names never forwarded upstream (besides the `cf-access-*` and `proxy-*` families). */
  readonly dropRequest: ReadonlySet<string>;
  /** Append Host, the CF Access pair and User-Agent to a raw header list. */
  readonly appendInjected: (out: RawHeaders) => void;
  /** The same headers as head lines (`Host: …\r\n…`), written once at start: what every request sends. */
  readonly injectedLines: () => string;
}

/** RFC 9110 §7.6.1 hop-by-hop headers, plus the obsolete ones proxies still see. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade', 'trailer', 'trailers'];

/**
 * Request headers the proxy owns: it sets them itself (`host`,
 * `user-agent`, the CF Access pair), frames the body with them
 * (`content-length`, `transfer-encoding`), or has acted on them (`expect`:
 * node:http answered `100 Continue` itself). A client may not hide them
 * behind `Connection`, nor send them under a look-alike name.
 */
const REQUEST_MANAGED: ReadonlySet<string> = new Set([
  'host',
  'user-agent',
  'expect',
  'content-length',
  'transfer-encoding',
  'cf-access-client-id',
  'cf-access-client-secret',
]);

/** Request headers never forwarded as received (besides the `cf-access-*` and `proxy-*` families). */
const REQUEST_DROP: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'host', 'user-agent', 'expect', 'content-length']);

/**
 * Whether `Connection` may not name this (lower-case) request header: the
 * framing headers, the ones the proxy sets, and the `cf-access-*` family.
 * Dropping any of them on a client's say-so would let it decide how the
 * upstream frames the request (request smuggling), so such a request is
 * refused instead.
 */
export function isManagedRequestHeader(lower: string): boolean {
  return REQUEST_MANAGED.has(lower) || lower.startsWith('cf-access-');
}

/**
 * Whether a (lower-case) request header name becomes a header the proxy
 * manages or drops when `_` is read as `-` (`CF_Access_Client_Secret`,
 * `Transfer_Encoding`). Some stacks fold underscores; such a header is
 * ambiguous and refused (nginx drops them for the same reason).
 */
export function isUnderscoreLookalike(lower: string): boolean {
  if (!lower.includes('_')) return false;
  const folded = lower.replaceAll('_', '-');
  return REQUEST_DROP.has(folded) || isManagedRequestHeader(folded) || isDroppedFamily(folded);
}

/**
 * `alt-svc` describes the upstream's transports (h3 on :443), not the proxy's;
 * `content-length` is framing, which the proxy sets itself for the body it sends.
 */
const RESPONSE_DROPPED = ['alt-svc', 'content-length'];

/** Lower-case response header names never passed back (besides the `cf-access-*` and `proxy-*` families). */
const RESPONSE_DROP: ReadonlySet<string> = new Set([...HOP_BY_HOP, ...RESPONSE_DROPPED]);

/** The Cloudflare Access session cookie; never forwarded nor passed back. */
const CF_COOKIE = 'cf_authorization';

/**
 * Build the header policy once, at start, from a resolved connection (which
 * must carry the Cloudflare Access token: the proxy's whole point).
 */
export function createHeaderPolicy(connection: ResolvedConnection): HeaderPolicy {
  const token = connection.cloudflare;
  if (!token)
    throw new VaultProxyError(
      'CONFIG_INVALID',
      'The proxy needs a Cloudflare Access service token. Export CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET.',
      { details: { field: 'CF_ACCESS_CLIENT_ID', source: 'env', problem: 'is not set' } },
    );
  const access = vaultAccessHeaders({
    cfAccessClientId: token.clientId,
    cfAccessClientSecret: token.clientSecret,
    userAgent: connection.userAgent,
  });
  const injected: readonly string[] = ['Host', connection.upstreamHostHeader, ...Object.entries(access).flat()];
  const lines = headerLines(injected);
  return {
    upstreamHost: connection.upstreamHostHeader,
    dropRequest: REQUEST_DROP,
    appendInjected: (out) => {
      for (let i = 0; i < injected.length; i++) out.push(injected[i] as string);
    },
    injectedLines: () => lines,
  };
}

/** Whether a lower-case header name is in a family never passed on (`cf-access-*`, `proxy-*`). */
function isDroppedFamily(lower: string): boolean {
  return lower.startsWith('cf-access-') || lower.startsWith('proxy-');
}

function toRaw(headers: readonly string[] | IncomingHttpHeaders | OutgoingHttpHeaders): readonly string[] {
  if (Array.isArray(headers)) return headers;
  const raw: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) raw.push(name, String(v));
    else raw.push(name, String(value));
  }
  return raw;
}

/** The extra names a `Connection` header lists (beyond `close`/`keep-alive`), lower-case; `undefined` when none. */
function connectionTokens(value: string, into: Set<string> | undefined): Set<string> | undefined {
  // The usual values name no header at all: no split, no set.
  if (!value.includes(',')) {
    const t = value.trim().toLowerCase();
    if (t === '' || t === 'close' || t === 'keep-alive') return into;
  }
  let set = into;
  for (const token of value.split(',')) {
    const t = token.trim().toLowerCase();
    if (t === '' || t === 'close' || t === 'keep-alive') continue;
    set ??= new Set();
    set.add(t);
  }
  return set;
}

const CHUNKED_FRAMING: readonly string[] = ['Transfer-Encoding', 'chunked'];
const NO_FRAMING: readonly string[] = [];

/** Remove pairs whose lower-case name is in `names`. */
function dropNamed(raw: RawHeaders, names: ReadonlySet<string>): RawHeaders {
  const kept: RawHeaders = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!names.has(name.toLowerCase())) kept.push(name, raw[i + 1] as string);
  }
  return kept;
}

/** A `Cookie` value without its `CF_Authorization` pairs; `undefined` when nothing is left. */
function stripCfCookie(value: string): string | undefined {
  if (!value.toLowerCase().includes(CF_COOKIE)) return value;
  const kept = value.split(';').filter((pair) => {
    const eq = pair.indexOf('=');
    return (eq === -1 ? pair : pair.slice(0, eq)).trim().toLowerCase() !== CF_COOKIE;
  });
  const joined = kept.join(';').trim();
  return joined === '' ? undefined : joined;
}

/** Whether a `Set-Cookie` value sets `CF_Authorization`. */
function isCfSetCookie(value: string): boolean {
  const eq = value.indexOf('=');
  return (eq === -1 ? value : value.slice(0, eq)).trim().toLowerCase() === CF_COOKIE;
}

/**
 * The request headers to send upstream, as {@link RawHeaders}: the inbound
 * ones minus hop-by-hop, `Proxy-*`, `CF-Access-*`, `Host`, `User-Agent`,
 * `Expect`, the `CF_Authorization` cookie and whatever else the inbound
 * `Connection` header names; then the policy's injected headers, which a
 * client can neither override nor remove; then the framing. The framing is
 * the proxy's: `Transfer-Encoding: chunked` for a chunked body, else the
 * inbound `Content-Length` (never dropped on a `Connection` header's say-so);
 * never both. Call it only for requests the guard let through (which refuses
 * duplicate or conflicting framing); `Connection` naming a managed header is
 * ignored here and refused there.
 */
export function upstreamRequestHeaders(
  inbound: readonly string[] | IncomingHttpHeaders,
  policy: HeaderPolicy,
  lowerNames?: readonly string[],
): RawHeaders {
  const forwarded = forwardedRequestHeaders(inbound, policy, lowerNames);
  const out = forwarded.headers;
  policy.appendInjected(out);
  out.push(...forwarded.framing);
  return out;
}

/** The two parts of the upstream request headers besides the injected ones (see {@link upstreamRequestHeaders}). @internal */
export interface ForwardedHeaders {
  /** The client's headers that go on, in order. */
  readonly headers: RawHeaders;
  /** The framing header the proxy sends last: `[name, value]` for a request with a body, else empty. */
  readonly framing: readonly string[];
}

/**
 * {@link upstreamRequestHeaders} without the injected headers: what the
 * client's head contributes (its forwarded headers, then the framing). The
 * hot path writes the injected headers as one prepared block instead of
 * listing them per request.
 * @internal
 */
export function forwardedRequestHeaders(
  inbound: readonly string[] | IncomingHttpHeaders,
  policy: HeaderPolicy,
  lowerNames?: readonly string[],
): ForwardedHeaders {
  const raw = toRaw(inbound);
  // The parser already lower-cased the names once (`lowerNames`, parallel to a raw list); use them when given.
  const lowered = Array.isArray(inbound) ? lowerNames : undefined;
  const out: RawHeaders = [];
  let named: Set<string> | undefined;
  let chunked = false;
  let contentLength: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    let value = raw[i + 1] as string;
    const lower = lowered ? (lowered[i >> 1] as string) : name.toLowerCase();
    if (policy.dropRequest.has(lower)) {
      if (lower === 'connection') named = connectionTokens(value, named);
      else if (lower === 'transfer-encoding') chunked = true;
      else if (lower === 'content-length') contentLength = value.trim();
      continue;
    }
    if (isDroppedFamily(lower)) continue;
    if (lower === 'cookie') {
      const kept = stripCfCookie(value);
      if (kept === undefined) continue;
      value = kept;
    }
    out.push(name, value);
  }
  if (named !== undefined) for (const n of named) if (isManagedRequestHeader(n)) named.delete(n);
  const headers = named === undefined || named.size === 0 ? out : dropNamed(out, named);
  // RFC 9112 §6.3: Transfer-Encoding wins over Content-Length; never send both.
  const framing = chunked ? CHUNKED_FRAMING : contentLength === undefined ? NO_FRAMING : ['Content-Length', contentLength];
  return { headers, framing };
}

/**
 * The response headers to pass back to the client, as {@link RawHeaders}:
 * upstream's minus hop-by-hop, `Proxy-*`, `CF-Access-*`, `Alt-Svc`, any
 * `Set-Cookie` of `CF_Authorization`, and whatever upstream's `Connection`
 * header names, and the framing headers: the proxy frames the body it sends
 * back itself (`Content-Length` as the vault sent it, or `chunked`).
 */
export function downstreamResponseHeaders(upstream: readonly string[] | IncomingHttpHeaders, lowerNames?: readonly string[]): RawHeaders {
  const raw = toRaw(upstream);
  const lowered = Array.isArray(upstream) ? lowerNames : undefined;
  const out: RawHeaders = [];
  let named: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = lowered ? (lowered[i >> 1] as string) : name.toLowerCase();
    if (RESPONSE_DROP.has(lower)) {
      if (lower === 'connection') named = connectionTokens(value, named);
      continue;
    }
    if (isDroppedFamily(lower)) continue;
    if (lower === 'set-cookie' && isCfSetCookie(value)) continue;
    out.push(name, value);
  }
  return named === undefined ? out : dropNamed(out, named);
}
