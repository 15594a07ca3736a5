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
  /** Start an upstream request; `headers` is a raw list (see `RawHeaders`). */
  request(method: string, path: string, headers: readonly string[]): ClientRequest;
  /** Where connections go, `host:port`, for messages. */
  readonly dialAddress: string;
  /** The pool, for tests and shutdown. */
  readonly agent: Agent;
  /** Close every pooled connection. */
  destroy(): void;
}

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
    // Idle pooled sockets are closed after this (or earlier when upstream's Keep-Alive hint says so).
    timeout: options.upstreamTimeoutMs,
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
  const send = secure ? httpsRequest : httpRequest;
  const base: RequestOptions = { agent, host: dialHost, port: dialPort, timeout: options.upstreamTimeoutMs };
  return {
    request(method, path, headers) {
      return send({ ...base, method, path, headers: headers as string[] });
    },
    dialAddress: `${dialHost.includes(':') ? `[${dialHost}]` : dialHost}:${dialPort}`,
    agent,
    destroy() {
      agent.destroy();
    },
  };
}
