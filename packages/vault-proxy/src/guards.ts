import type { IncomingMessage } from 'node:http';
import { type PreparedAnswer, prepareErrorAnswer } from './error-response.js';
import { hostNameOf } from './host-names.js';
import type { ResolvedProxyOptions } from './options.js';

/**
 * Decides, before anything reaches upstream, whether a request may pass.
 * `check` returns the path to forward (a string) or the answer to send.
 * @internal
 */
export interface RequestGuard {
  check(req: IncomingMessage): string | PreparedAnswer;
  /** The 405 answer for `CONNECT` (also written raw by the server's `connect` handler). */
  readonly connectRefusal: PreparedAnswer;
}

/** Methods refused outright: CONNECT would tunnel anywhere; TRACE/TRACK echo the injected credentials back. */
const REFUSED_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** `Sec-Fetch-Site` values a browser sends for a request it was not tricked into. */
const SAFE_FETCH_SITES: ReadonlySet<string> = new Set(['none', 'same-origin']);

/**
 * Build the guard once from the resolved options; every answer body is
 * prepared here, so a refused request costs no JSON work.
 * @internal
 */
export function createRequestGuard(options: ResolvedProxyOptions): RequestGuard {
  const allowed: ReadonlySet<string> = new Set(options.allowedHosts);
  const origin = options.upstream.origin.toLowerCase();
  const hostHint = `Call the proxy as http://localhost:<port> or http://127.0.0.1:<port>, or add the name to VAULT_PROXY_ALLOWED_HOSTS.`;
  const methodRefused = prepareErrorAnswer(
    'METHOD_NOT_ALLOWED',
    'The vault proxy does not tunnel (CONNECT) nor echo requests (TRACE/TRACK).',
    'Send plain HTTP requests to the proxy; it forwards them to the vault.',
  );
  const targetRefused = prepareErrorAnswer(
    'TARGET_NOT_ALLOWED',
    'The vault proxy only forwards to its configured upstream.',
    `Use an origin-form target (/path) or the upstream origin ${origin}; the proxy is not a forward proxy.`,
  );
  const hostMissing = prepareErrorAnswer('HOST_NOT_ALLOWED', 'The request has no Host header.', hostHint);
  const hostRefused = prepareErrorAnswer(
    'HOST_NOT_ALLOWED',
    'The Host header is not one of the proxy’s own names (DNS-rebinding defence).',
    hostHint,
  );
  const crossOrigin = prepareErrorAnswer(
    'CROSS_ORIGIN_REFUSED',
    'Browser cross-origin requests are refused: this port carries vault credentials.',
    'Call the proxy from a command-line tool or server process, not from a web page.',
  );

  const check = (req: IncomingMessage): string | PreparedAnswer => {
    const method = req.method ?? '';
    if (REFUSED_METHODS.has(method)) return methodRefused;
    const url = req.url ?? '';
    let path: string;
    let absolute = false;
    if (url.charCodeAt(0) === 47 /* '/' */) path = url;
    else {
      const rest = url.toLowerCase().startsWith(origin) ? url.slice(origin.length) : undefined;
      if (rest === undefined || (rest !== '' && rest[0] !== '/' && rest[0] !== '?')) return targetRefused;
      path = rest === '' || rest[0] === '?' ? `/${rest}` : rest;
      absolute = true;
    }
    const raw = req.rawHeaders;
    let sawHost = false;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      // Only three names matter; compare length first to skip the lower-casing for most headers.
      switch (name.length) {
        case 4:
          if (name.toLowerCase() === 'host') {
            sawHost = true;
            if (!absolute && !allowed.has(hostNameOf(raw[i + 1] as string))) return hostRefused;
          }
          break;
        case 6:
          if (name.toLowerCase() === 'origin') return crossOrigin;
          break;
        case 14:
          if (name.toLowerCase() === 'sec-fetch-site' && !SAFE_FETCH_SITES.has((raw[i + 1] as string).trim().toLowerCase()))
            return crossOrigin;
          break;
      }
    }
    // RFC 9112 §3.2.2: an absolute-form target replaces Host; browsers never send one.
    if (!sawHost && !absolute) return hostMissing;
    return path;
  };

  return { check, connectRefusal: methodRefused };
}
