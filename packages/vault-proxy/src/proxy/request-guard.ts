import { parseHostHeader } from '../connection/host-names.js';
import type { PreparedAnswer } from './answer.js';
import { isManagedRequestHeader, isUnderscoreLookalike } from './header-policy.js';
import type { ProxyAnswers } from './proxy-answers.js';
import type { ResolvedProxyOptions } from './proxy-options.js';

/**
 * Decides, before anything reaches upstream, whether a request may pass.
 * `check` returns the path to forward (a string) or the answer to send.
 * Every header is looked at: a request with more header lines than the
 * proxy reads is refused, never judged on a truncated list.
 * @internal
 */
export interface RequestGuard {
  /** Judge a parsed request head; `localPort` is the port the client connected to (for the strict Host check). */
  check(head: GuardedRequest, localPort: number | undefined): string | PreparedAnswer;
  /** The 405 answer for `CONNECT` (also written raw by the server's `connect` handler). */
  readonly connectRefusal: PreparedAnswer;
}

/** What the guard reads of a request: its method, target and every header line. */
export interface GuardedRequest {
  readonly method: string;
  readonly target: string;
  readonly rawHeaders: readonly string[];
  /** The names lower-cased, parallel to `rawHeaders` (the parser's). */
  readonly lowerNames: readonly string[];
}

/** Methods refused outright: CONNECT would tunnel anywhere; TRACE/TRACK echo the injected credentials back. */
const REFUSED_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** `Sec-Fetch-Site` values a browser sends for a request it was not tricked into. */
const SAFE_FETCH_SITES: ReadonlySet<string> = new Set(['none', 'same-origin']);

/** The proxy's own names, accepted with or without the listening port. */
const OWN_HOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Host names accepted in `Host`, each with the extra ports allowed besides
 * the listening one (an allow-list entry written `name:port`).
 */
function allowedHostPorts(entries: readonly string[]): ReadonlyMap<string, ReadonlySet<number>> {
  // The proxy's own names are written in canonical form: taken as they are, not parsed (parsing `[::1]` costs ~10 ms at start).
  const map = new Map<string, Set<number>>(OWN_HOST_NAMES.map((name) => [name, new Set<number>()]));
  for (const entry of entries) {
    const parsed = parseHostHeader(entry);
    if (parsed === undefined) continue;
    const ports = map.get(parsed.name) ?? new Set<number>();
    if (parsed.port !== undefined) ports.add(parsed.port);
    map.set(parsed.name, ports);
  }
  return map;
}

/** The names listed in a `Connection` value that the proxy manages; `true` when there is one. */
function connectionNamesManaged(value: string): boolean {
  for (const token of value.split(',')) {
    if (isManagedRequestHeader(token.trim().toLowerCase())) return true;
  }
  return false;
}

/**
 * Build the guard once from the resolved options; every answer body is
 * prepared here, so a refused request costs no JSON work.
 * @internal
 */
export function createRequestGuard(options: ResolvedProxyOptions, answers: ProxyAnswers): RequestGuard {
  const allowed = allowedHostPorts(options.allowedHosts);
  const maxHeaderCount = options.maxHeaderCount;
  const origin = options.connection.upstream.origin.toLowerCase();
  const refused = answers.refused;
  // A client sends the same Host on every request: the last one read is kept (parsing is pure, so a string compare decides).
  let lastHost = '';
  let lastParsed: ReturnType<typeof parseHostHeader>;

  const check = (head: GuardedRequest, localPort: number | undefined): string | PreparedAnswer => {
    const method = head.method;
    if (REFUSED_METHODS.has(method)) return refused.method;
    const raw = head.rawHeaders;
    // Defence in depth: the parser already refuses a longer list, so no decision is made on part of one.
    if (raw.length > 2 * maxHeaderCount) return refused.tooManyHeaders;
    const url = head.target;
    let path: string;
    let absolute = false;
    if (url.charCodeAt(0) === 47 /* '/' */) path = url;
    else {
      const rest = url.toLowerCase().startsWith(origin) ? url.slice(origin.length) : undefined;
      if (rest === undefined || (rest !== '' && rest[0] !== '/' && rest[0] !== '?')) return refused.target;
      path = rest === '' || rest[0] === '?' ? `/${rest}` : rest;
      absolute = true;
    }
    let host: string | undefined;
    let sawHost = false;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      const lower = head.lowerNames[i >> 1] as string;
      switch (lower) {
        case 'host':
          if (sawHost) return refused.duplicateHost;
          sawHost = true;
          host = raw[i + 1] as string;
          break;
        case 'origin':
          return refused.crossOrigin;
        case 'connection':
          if (connectionNamesManaged(raw[i + 1] as string)) return refused.connectionNamesManaged;
          break;
        case 'sec-fetch-site':
          if (!SAFE_FETCH_SITES.has((raw[i + 1] as string).trim().toLowerCase())) return refused.crossOrigin;
          break;
        case 'transfer-encoding':
          if ((raw[i + 1] as string).trim().toLowerCase() !== 'chunked') return refused.coding;
          break;
      }
      if (name.includes('_') && isUnderscoreLookalike(lower)) return refused.lookalike;
    }
    // RFC 9112 §3.2.2: an absolute-form target replaces Host; browsers never send one.
    if (!absolute) {
      if (host === undefined) return refused.hostMissing;
      if (host !== lastHost) {
        lastParsed = parseHostHeader(host);
        lastHost = host;
      }
      const parsed = lastParsed;
      const ports = parsed && allowed.get(parsed.name);
      if (!parsed || !ports) return refused.host;
      if (parsed.port !== undefined && parsed.port !== localPort && !ports.has(parsed.port)) return refused.host;
    }
    return path;
  };

  return { check, connectRefusal: refused.method };
}
