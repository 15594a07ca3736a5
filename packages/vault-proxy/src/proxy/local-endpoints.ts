import type { ServerResponse } from 'node:http';
import { type PreparedAnswer, prepareJsonAnswer, sendAnswer } from './answer.js';

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
  /** Answer a request whose path {@link isLocalPath} accepted; returns the answer sent. */
  handle(method: string, path: string, res: ServerResponse): PreparedAnswer;
}

/** @internal */
export function createLocalEndpoints(upstreamOrigin: string, inFlight: () => number, notFound: PreparedAnswer): LocalEndpoints {
  const startedAt = Date.now();
  return {
    handle(method, path, res) {
      const q = path.indexOf('?');
      const bare = q === -1 ? path : path.slice(0, q);
      const isHead = method === 'HEAD';
      if (bare === `${LOCAL_PREFIX}health` && (method === 'GET' || isHead)) {
        const health: ProxyHealth = { status: 'ok', upstream: upstreamOrigin, uptimeMs: Date.now() - startedAt, inFlight: inFlight() };
        const answer = prepareJsonAnswer(200, health);
        sendAnswer(res, answer, isHead);
        return answer;
      }
      sendAnswer(res, notFound, isHead);
      return notFound;
    },
  };
}
