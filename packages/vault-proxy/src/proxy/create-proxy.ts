import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { VaultProxyError } from '../errors.js';
import { createAccessLog } from './access-log.js';
import { ClientConnection, type ClientContext } from './client-connection.js';
import { createHeaderPolicy } from './header-policy.js';
import { createLocalEndpoints } from './local-endpoints.js';
import { createLogger } from './logger.js';
import { createProxyAnswers } from './proxy-answers.js';
import { monotonicMs, type ProxyClock, startClock } from './proxy-clock.js';
import { type ProxyOptions, type ResolvedProxyOptions, resolveProxyOptions } from './proxy-options.js';
import { RelayBuffers } from './relay-buffers.js';
import { createRequestGuard } from './request-guard.js';
import { TokenKeeper } from './token-keeper.js';
import { UpstreamPool } from './upstream-pool.js';

/** Where a listening proxy can be reached. */
export interface ProxyAddress {
  /** The bound address, e.g. `127.0.0.1` or `::1`. */
  host: string;
  /** The bound port (the real one when `port: 0` was asked for). */
  port: number;
  /** Base URL for clients, e.g. `http://127.0.0.1:2019`. */
  url: string;
}

/** A created proxy: start it with `listen()`, stop it with `close()`. */
export interface ProxyHandle {
  /**
   * Bind and start serving. Rejects with `VaultProxyError('PORT_IN_USE')`
   * (failure mode A in docs/runbook.md) when the port is taken,
   * `LISTEN_FAILED` otherwise.
   */
  listen(): Promise<ProxyAddress>;
  /**
   * Graceful stop: stop accepting, close idle keep-alive connections, let
   * in-flight requests finish for up to `shutdownTimeoutMs`, then cut them;
   * finally close the upstream connection pool. Safe to call twice.
   */
  close(): Promise<void>;
  /** The bound address while listening. */
  readonly address: ProxyAddress | undefined;
  /** The options the proxy runs with (the secret stays wrapped in a `SecretValue`). */
  readonly options: ResolvedProxyOptions;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): VaultProxyError {
  const where = `${urlHost(host)}:${port}`;
  if (err.code === 'EADDRINUSE') {
    const hint = `Stop whatever holds ${where} (vault-proxy stop, or lsof -i :${port}) or set VAULT_PROXY_PORT to a free port.`;
    return new VaultProxyError('PORT_IN_USE', `Port ${port} on ${host} is already in use (failure mode A). ${hint}`, {
      cause: err,
      details: { host, port, failureMode: 'A', hint },
    });
  }
  const hint = 'Check VAULT_PROXY_HOST and VAULT_PROXY_PORT (an address of this machine, a port you may bind).';
  return new VaultProxyError('LISTEN_FAILED', `Cannot listen on ${where} (${err.code ?? 'error'}). ${hint}`, {
    cause: err,
    details: { host, port, failureMode: 'A', hint },
  });
}

/**
 * Create the vault proxy: a localhost reverse proxy that adds the Cloudflare
 * Access service-token headers. Options are resolved from `options`, then
 * `env` (default `process.env`), then defaults, and validated here,
 * synchronously: a bad configuration throws `VaultProxyError('CONFIG_INVALID')`
 * before anything binds.
 *
 * @example
 * ```ts
 * const proxy = createProxy({ port: 0 }); // CF_ACCESS_CLIENT_ID / _SECRET from the environment
 * const { url } = await proxy.listen();
 * // … point the Infisical MCP server (or any client) at `url` …
 * await proxy.close();
 * ```
 */
export function createProxy(options: ProxyOptions = {}, env: NodeJS.ProcessEnv = process.env): ProxyHandle {
  const resolved = resolveProxyOptions(options, env);
  const log = createLogger(resolved.logLevel, resolved.logFormat, resolved.logSink);
  const pool = new UpstreamPool(resolved, new RelayBuffers());
  const answers = createProxyAnswers(resolved, pool.dialAddress);
  const policy = createHeaderPolicy(resolved.connection);
  const tokens = resolved.renewTokens ? new TokenKeeper({ pool, policy }, log, resolved.upstreamTimeoutMs) : undefined;
  // In-flight exchanges are counted, and open connections kept in a plain array, not in Sets: a Set that
  // sees an add and a delete per request rehashes into a new table every few requests, and each retired
  // table points to its successor. Once one of them reaches the old generation, that chain keeps every
  // later table, and the exchanges they held, alive through young-generation collections: a third of
  // the proxy's garbage was promoted and each collection paused 6-10 ms (BENCHMARKS.md, issue 13).
  let active = 0;
  const clients: ClientConnection[] = [];
  let closing = false;
  let server: Server | undefined;
  let address: ProxyAddress | undefined;
  let closed: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  const clock: ProxyClock = { now: monotonicMs() };
  let stopClock: (() => void) | undefined;

  const context: ClientContext = {
    options: resolved,
    policy,
    tokens,
    pool,
    log,
    access: createAccessLog(log),
    answers,
    guard: createRequestGuard(resolved, answers),
    local: createLocalEndpoints(
      resolved.connection.upstream.origin,
      () => active,
      () => tokens?.stats() ?? { enabled: false, identities: 0, renewals: 0, lastRenewalAt: undefined },
      answers.localNotFound,
    ),
    limits: { maxHeaderSize: resolved.maxHeaderSize, maxHeaderCount: resolved.maxHeaderCount },
    closing: () => closing,
    clock,
    onStart: () => {
      active += 1;
    },
    onEnd: () => {
      active -= 1;
      if (closing && active === 0) drained?.();
    },
  };

  const onConnection = (socket: Socket): void => {
    const client = new ClientConnection(socket, context);
    clients.push(client);
    socket.once('close', () => {
      const i = clients.indexOf(client);
      if (i === -1) return;
      clients[i] = clients[clients.length - 1] as ClientConnection;
      clients.pop();
    });
    if (closing) client.closeIfIdle();
  };

  let listening: Promise<ProxyAddress> | undefined;
  const bind = (): Promise<ProxyAddress> => {
    const { host, port } = resolved;
    // Half-open: a client that sends FIN right after its request still gets its answer.
    const srv = createServer({ allowHalfOpen: true, noDelay: true }, onConnection);
    return new Promise<ProxyAddress>((resolve, reject) => {
      const onListenError = (err: NodeJS.ErrnoException): void => reject(listenError(err, host, port));
      srv.once('error', onListenError);
      srv.listen(port, host, () => {
        srv.off('error', onListenError);
        srv.on('error', (err: NodeJS.ErrnoException) => log.error('server error', { cause: err.code }));
        const bound = srv.address() as AddressInfo;
        server = srv;
        stopClock = startClock(clock, (now) => {
          for (const client of clients) client.tick(now);
        });
        address = { host: bound.address, port: bound.port, url: `http://${urlHost(bound.address)}:${bound.port}` };
        const connection = resolved.connection;
        log.info('vault-proxy listening', {
          url: address.url,
          upstream: connection.upstream.origin,
          connectTo: connection.connectTo ? pool.dialAddress : undefined,
          caFile: connection.caFile,
        });
        // Build the TLS trust once the port is open (not before: start time; not at the first request: its latency).
        setImmediate(() => pool.dialer.prepare());
        if (!resolved.isLoopbackBind) {
          log.warn('listening on a non-loopback address: anyone who can reach it can use the vault credentials', { host: bound.address });
        }
        resolve(address);
      });
    });
  };

  const listen = (): Promise<ProxyAddress> => {
    if (closing) return Promise.reject(new VaultProxyError('LISTEN_FAILED', 'This proxy was closed; create a new one to listen again.'));
    listening ??= bind().catch((err: unknown) => {
      listening = undefined;
      throw err;
    });
    return listening;
  };

  const waitForDrain = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (active === 0) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        drained = undefined;
        if (log.warnEnabled) log.warn('shutdown timeout reached; cutting in-flight requests', { inFlight: active });
        for (const client of clients) client.socket.destroy();
        resolve();
      }, resolved.shutdownTimeoutMs);
      drained = () => {
        clearTimeout(timer);
        drained = undefined;
        resolve();
      };
    });

  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      const srv = server;
      const serverClosed = srv ? new Promise<void>((resolve) => srv.close(() => resolve())) : Promise.resolve();
      // Idle keep-alive connections close now; the others close after their current answer.
      for (const client of clients) client.closeIfIdle();
      await waitForDrain();
      for (const client of clients) client.socket.destroy();
      await serverClosed;
      stopClock?.();
      pool.destroy();
      // Credentials of identities seen logging in live only as long as the proxy runs.
      tokens?.forget();
      if (address) log.info('vault-proxy stopped', { url: address.url });
      server = undefined;
      address = undefined;
    })();
    return closed;
  };

  return {
    listen,
    close,
    get address() {
      return address;
    },
    options: resolved,
  };
}
