import { type PreparedAnswer, prepareJsonAnswer } from './answer.js';
import type { TokenRenewalStats } from './token-keeper.js';

/** Path prefix the proxy answers itself; nothing under it reaches upstream. */
export const LOCAL_PREFIX = '/__vault-proxy/';

/** Body of `GET /__vault-proxy/health`. */
export interface ProxyHealth {
  readonly status: 'ok';
  /** The upstream origin requests are forwarded to. */
  readonly upstream: string;
  /** Milliseconds since the proxy was created. */
  readonly uptimeMs: number;
  /** Requests currently being forwarded. */
  readonly inFlight: number;
  /** Token renewal: on or off, and counts (never an id or a token). */
  readonly tokenRenewal: TokenRenewalStats;
}

/**
 * Whether a request path is under {@link LOCAL_PREFIX} (the bare prefix without
 * its trailing slash included).
 * @internal
 */
export function isLocalPath(path: string): boolean {
  return path.startsWith('/__vault-proxy') && (path.length === 14 || path[14] === '/' || path[14] === '?');
}

/**
 * Answers the proxy-local endpoints.
 * @internal
 */
export interface LocalEndpoints {
  /** The answer to a request whose path {@link isLocalPath} accepted. */
  answer(method: string, path: string): PreparedAnswer;
}

/** @internal */
export function createLocalEndpoints(
  upstreamOrigin: string,
  inFlight: () => number,
  tokenRenewal: () => TokenRenewalStats,
  notFound: PreparedAnswer,
): LocalEndpoints {
  const startedAt = Date.now();
  return {
    answer(method, path) {
      const q = path.indexOf('?');
      const bare = q === -1 ? path : path.slice(0, q);
      if (bare === `${LOCAL_PREFIX}health` && (method === 'GET' || method === 'HEAD')) {
        const health: ProxyHealth = {
          status: 'ok',
          upstream: upstreamOrigin,
          uptimeMs: Date.now() - startedAt,
          inFlight: inFlight(),
          tokenRenewal: tokenRenewal(),
        };
        return prepareJsonAnswer(200, health);
      }
      return notFound;
    },
  };
}
