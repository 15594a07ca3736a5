import { type OnReadOpts, type Socket, connect as tcpConnect } from 'node:net';
import type { PeerCertificate, ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { ResolvedConnection } from './connection-options.js';
import { ipVersion } from './host-names.js';
import { nodeTls } from './lazy-builtins.js';
import { extraCaAgentOptions } from './tls-trust.js';

/**
 * The one way this package dials the vault, used by the proxy's pool and the
 * Infisical client alike: TCP to `connectTo` (or the vault's host), TLS
 * 1.2+ verified against the public roots plus the extra CA, SNI and the
 * certificate check on the vault's own name (as `curl --connect-to`).
 */
export interface UpstreamDialer {
  /** Whether the vault is reached over TLS (`https:`). */
  readonly secure: boolean;
  /** Host actually dialled. */
  readonly host: string;
  /** Port actually dialled. */
  readonly port: number;
  /** `host:port` dialled, for messages (`[v6]:port` for IPv6). */
  readonly dialAddress: string;
  /** TLS options (SNI, trust, identity check) for `tls.connect` or an `https.Agent`; built on first use. */
  readonly tlsOptions: TlsConnectionOptions;
  /**
   * Open a new connection (TLS for `https:`, plain TCP for a loopback `http:` vault).
   * `onread`: read into this buffer and call back instead of emitting `data` (Node's `onread` option).
   */
  connect(onread?: UpstreamOnRead): Socket;
  /**
   * Build the TLS trust now (parsing the public roots plus the extra CA takes
   * ~30 ms): a server calls it right after it starts listening, so neither
   * its start nor its first request waits for it.
   */
  prepare(): void;
}

/** Node's `onread` socket option: a reused read buffer and the callback that gets each read (return `false` to pause). */
export type UpstreamOnRead = OnReadOpts;

/**
 * Build the dialer of a resolved connection: every connection it opens reaches
 * the vault exactly as the proxy's do (connect-to, the extra CA, SNI and the
 * certificate check on the vault's name, TLS session resumption).
 *
 * @example
 * ```ts
 * import { createUpstreamDialer, resolveConnection } from '@raxx/vault-proxy';
 * const dialer = createUpstreamDialer(resolveConnection({}, process.env));
 * const socket = dialer.connect(); // a verified TLS socket to the vault (or its connect-to address)
 * ```
 */
export function createUpstreamDialer(connection: ResolvedConnection): UpstreamDialer {
  const { upstream, connectTo } = connection;
  const secure = upstream.protocol === 'https:';
  const hostname = upstream.hostname.replace(/^\[|\]$/g, '');
  const port = upstream.port === '' ? (secure ? 443 : 80) : Number(upstream.port);
  const host = connectTo?.host ?? hostname;
  const dialPort = connectTo?.port ?? port;
  let built: TlsConnectionOptions | undefined;
  const tlsOptions = (): TlsConnectionOptions =>
    (built ??= {
      ...extraCaAgentOptions(connection.ca),
      // SNI may not carry an IP literal (RFC 6066 §3).
      ...(ipVersion(hostname) === 0 ? { servername: hostname } : {}),
      // With connectTo the socket's host is the dialled address; verify against the vault's name instead.
      checkServerIdentity: (_dialled: string, cert: PeerCertificate) => nodeTls().checkServerIdentity(hostname, cert),
      minVersion: 'TLSv1.2',
    });
  // The latest TLS session ticket: a new connection resumes it (an abbreviated handshake), as https.Agent does.
  let session: Buffer | undefined;
  const connectTls = (onread: UpstreamOnRead | undefined): Socket => {
    const socket = nodeTls().connect({
      ...tlsOptions(),
      host,
      port: dialPort,
      ...(session ? { session } : {}),
      ...(onread ? { onread } : {}),
    });
    socket.on('session', (ticket: Buffer) => {
      session = ticket;
    });
    return socket;
  };
  return {
    secure,
    host,
    port: dialPort,
    dialAddress: `${host.includes(':') ? `[${host}]` : host}:${dialPort}`,
    get tlsOptions() {
      return tlsOptions();
    },
    connect: (onread) => (secure ? connectTls(onread) : tcpConnect({ host, port: dialPort, ...(onread ? { onread } : {}) })),
    prepare: () => {
      if (secure) tlsOptions();
    },
  };
}
