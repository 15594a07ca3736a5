import type { Socket } from 'node:net';
import type { RequestHead } from '../http1/request-head.js';
import type { AccessLog } from './access-log.js';
import type { HeaderPolicy } from './header-policy.js';
import type { ProxyLogger } from './logger.js';
import type { ProxyAnswers } from './proxy-answers.js';
import type { ProxyClock } from './proxy-clock.js';
import type { ResolvedProxyOptions } from './proxy-options.js';
import type { TokenKeeper } from './token-keeper.js';
import type { UpstreamPool } from './upstream-pool.js';

/**
 * What forwarding needs, built once per proxy.
 * @internal
 */
export interface ExchangeContext {
  readonly options: ResolvedProxyOptions;
  readonly policy: HeaderPolicy;
  readonly pool: UpstreamPool;
  readonly log: ProxyLogger;
  readonly access: AccessLog;
  readonly answers: ProxyAnswers;
  /** The coarse clock every deadline is read against. */
  readonly clock: ProxyClock;
  /** Token renewal (off: `VAULT_PROXY_RENEW_TOKENS=false`). */
  readonly tokens: TokenKeeper | undefined;
  /** An exchange started / ended (for in-flight counts and graceful shutdown). */
  readonly onStart: () => void;
  readonly onEnd: () => void;
}

/** The client connection an exchange answers on. @internal */
export interface ClientSide {
  readonly socket: Socket;
  /** Reading the request body may go on (the vault's side drained). */
  resumeBody(): void;
  /** The exchange is over; the client connection may carry another request only if `reusable`. */
  finished(reusable: boolean): void;
}

/** Delay between the two probes of a client that sent FIN (loopback clients answer a probe with a reset at once). */
const HALF_CLOSE_PROBE_MS = 50;
/** Methods a request without a body may be sent twice with (RFC 9110 §9.2.2). */
const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);
/** Failures of a kept-alive connection that mean it had gone stale before our request reached anyone. */
const STALE: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * Whether a request may be sent a second time (after a stale kept-alive
 * connection, or with a renewed token): bodyless and idempotent.
 * @internal
 */
export function isReplayable(head: RequestHead, bodyless: boolean): boolean {
  return bodyless && IDEMPOTENT.has(head.method);
}

/**
 * Whether a failure of a kept-alive connection that had not answered a byte
 * means it was stale before the request reached anyone.
 * @internal
 */
export function isStaleFailure(code: string): boolean {
  return STALE.has(code);
}

/**
 * Probe a client that sent FIN before its answer's head: a half-close after a
 * complete request is legal HTTP/1.1, so it gets an interim `100 Continue`
 * (which clients must skip); a client that is really gone answers the first
 * probe with a reset, which the second one meets (a socket past EOF no longer
 * reads, so only a write can see it).
 * @internal
 */
export function probeHalfClosedClient(socket: Socket, stillWaiting: () => boolean): void {
  const probe = (): void => {
    if (stillWaiting()) socket.write('HTTP/1.1 100 Continue\r\n\r\n');
  };
  probe();
  setTimeout(probe, HALF_CLOSE_PROBE_MS).unref();
}
