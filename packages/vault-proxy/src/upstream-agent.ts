import { type Agent, type ClientRequest, Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { ResolvedProxyOptions } from './options.js';
import { extraCaAgentOptions } from './tls-trust.js';

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

/** @internal */
export function createUpstreamTransport(options: ResolvedProxyOptions): UpstreamTransport {
  const { upstream, connectTo } = options;
  const secure = upstream.protocol === 'https:';
  const hostname = upstream.hostname.replace(/^\[|\]$/g, '');
  const port = upstream.port === '' ? (secure ? 443 : 80) : Number(upstream.port);
  const dialHost = connectTo?.host ?? hostname;
  const dialPort = connectTo?.port ?? port;
  const pool = {
    keepAlive: true,
    maxSockets: options.poolSize,
    maxFreeSockets: options.poolSize,
    scheduling: 'lifo' as const,
    // Idle pooled sockets are closed after this, or a second before upstream's `Keep-Alive: timeout=` hint runs out.
    timeout: POOL_IDLE_MS,
  };
  const agent: Agent = secure
    ? new HttpsAgent({
        ...pool,
        ...extraCaAgentOptions(options.ca),
        // SNI may not carry an IP literal (RFC 6066 §3).
        ...(isIP(hostname) === 0 ? { servername: hostname } : {}),
        // With connectTo the socket's host is the dialled address; verify against the upstream's name instead.
        checkServerIdentity: (_dialled: string, cert: PeerCertificate) => checkServerIdentity(hostname, cert),
        minVersion: 'TLSv1.2',
      })
    : new HttpAgent(pool);
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
  const send = secure ? httpsRequest : httpRequest;
  // `timeout` is the socket idle timer while a request uses it: a stalled body either way.
  const base: RequestOptions = { agent, host: dialHost, port: dialPort, timeout: options.idleTimeoutMs };
  return {
    request(method, path, headers, replayable) {
      if (!replayable) dropStale();
      return send({ ...base, method, path, headers: headers as string[] });
    },
    dialAddress: `${dialHost.includes(':') ? `[${dialHost}]` : dialHost}:${dialPort}`,
    agent,
    destroy() {
      agent.destroy();
    },
  };
}
