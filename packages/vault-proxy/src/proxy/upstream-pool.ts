import { type Agent, type ClientRequest, Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { createUpstreamDialer, type UpstreamDialer } from '../connection/upstream-dialer.js';
import type { ResolvedProxyOptions } from './proxy-options.js';

/**
 * The pooled connection to the upstream: one keep-alive agent and a
 * `request` that dials `connectTo` (when set) while TLS keeps the upstream's
 * name for SNI and certificate verification.
 * @internal
 */
export interface UpstreamTransport {
  /**
   * Start an upstream request; `headers` is a raw list (see `RawHeaders`).
   * `replayable` is false for a request the proxy could not safely send
   * twice: it then never rides a connection idle long enough to be stale.
   */
  request(method: string, path: string, headers: readonly string[], replayable: boolean): ClientRequest;
  /** Where connections go, `host:port`, for messages. */
  readonly dialAddress: string;
  /** The pool, for tests and shutdown. */
  readonly agent: Agent;
  /** Close every pooled connection. */
  destroy(): void;
}

/** How long an idle pooled connection is kept when upstream gives no `Keep-Alive` hint. */
const POOL_IDLE_MS = 30_000;

/**
 * A request that cannot be replayed (it has a body, or its method is not
 * idempotent) only goes on a pooled connection used this recently. An older
 * one may have been dropped by the vault or a middlebox without the FIN
 * having reached us; a GET on it is retried once, a POST could not be.
 */
const REPLAY_UNSAFE_MAX_IDLE_MS = 2_000;

/** When a pooled socket was last handed back to the pool. */
const freedAt = new WeakMap<object, number>();

/**
 * Connections come from the shared dialer (connect-to, SNI, the extra CA and
 * the certificate check live there, once for the proxy and the Infisical
 * client); the agent only pools them.
 */
class DialerAgent extends HttpsAgent {
  readonly #dialer: UpstreamDialer;
  constructor(dialer: UpstreamDialer, options: HttpsAgentOptions) {
    super(options);
    this.#dialer = dialer;
  }
  // Node's Agent uses the returned socket (and ignores the callback) when one is returned.
  override createConnection(): Duplex {
    return this.#dialer.connect();
  }
}

/** @internal */
export function createUpstreamTransport(options: ResolvedProxyOptions): UpstreamTransport {
  const dialer = createUpstreamDialer(options.connection);
  const pool = {
    keepAlive: true,
    maxSockets: options.poolSize,
    maxFreeSockets: options.poolSize,
    scheduling: 'lifo' as const,
    // Idle pooled sockets are closed after this, or a second before upstream's `Keep-Alive: timeout=` hint runs out.
    timeout: POOL_IDLE_MS,
  };
  const agent: Agent = dialer.secure ? new DialerAgent(dialer, pool) : new HttpAgent(pool);
  agent.on('free', (socket: object) => freedAt.set(socket, Date.now()));
  /** Close pooled connections idle for longer than a replay-unsafe request may trust. */
  const dropStale = (): void => {
    const now = Date.now();
    for (const list of Object.values(agent.freeSockets)) {
      for (const socket of [...(list ?? [])]) {
        if (now - (freedAt.get(socket) ?? 0) > REPLAY_UNSAFE_MAX_IDLE_MS) socket.destroy();
      }
    }
  };
  const send = dialer.secure ? httpsRequest : httpRequest;
  // `timeout` is the socket idle timer while a request uses it: a stalled body either way.
  const base: RequestOptions = { agent, host: dialer.host, port: dialer.port, timeout: options.idleTimeoutMs };
  return {
    request(method, path, headers, replayable) {
      if (!replayable) dropStale();
      return send({ ...base, method, path, headers: headers as string[] });
    },
    dialAddress: dialer.dialAddress,
    agent,
    destroy() {
      agent.destroy();
    },
  };
}
