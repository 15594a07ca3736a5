import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { VaultProxyError } from '../errors.js';
import { createAccessLog } from './access-log.js';
import { rawAnswer, sendAnswer } from './answer.js';
import { type ForwardContext, forwardRequest } from './forward-request.js';
import { createHeaderPolicy } from './header-policy.js';
import { createLocalEndpoints, isLocalPath } from './local-endpoints.js';
import { createLogger } from './logger.js';
import { createProxyAnswers } from './proxy-answers.js';
import { type ProxyOptions, type ResolvedProxyOptions, resolveProxyOptions } from './proxy-options.js';
import { createRequestGuard } from './request-guard.js';
import { createUpstreamTransport } from './upstream-pool.js';

/** Where a listening proxy can be reached. */
export interface ProxyAddress {
  /** The bound address, e.g. `127.0.0.1` or `::1`. */
  host: string;
  /** The bound port (the real one when `port: 0` was asked for). */
  port: number;
  /** Base URL for clients, e.g. `http://127.0.0.1:2019`. */
  url: string;
}

/** A created proxy: start it with `listen()`, or mount `handler` in your own server. */
export interface ProxyHandle {
  /**
   * Bind and start serving. Rejects with `VaultProxyError('PORT_IN_USE')`
   * (runbook failure mode A) when the port is taken, `LISTEN_FAILED` otherwise.
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
  /** The request handler, usable in an existing `node:http` server. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The options the proxy runs with (the secret stays wrapped in a `SecretValue`). */
  readonly options: ResolvedProxyOptions;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Create the vault proxy. Options are resolved from `options`, then `env`
 * (default `process.env`), then defaults, and validated here, synchronously:
 * a bad configuration throws `VaultProxyError('CONFIG_INVALID')` before
 * anything binds.
 */
export function createProxy(options: ProxyOptions = {}, env: NodeJS.ProcessEnv = process.env): ProxyHandle {
  const resolved = resolveProxyOptions(options, env);
  const log = createLogger(resolved.logLevel, resolved.logFormat, resolved.logSink);
  const access = createAccessLog(log);
  const transport = createUpstreamTransport(resolved);
  const answers = createProxyAnswers(resolved, transport.dialAddress);
  const guard = createRequestGuard(resolved, answers);
  const active = new Set<ServerResponse>();
  const local = createLocalEndpoints(resolved.connection.upstream.origin, () => active.size, answers.localNotFound);
  let closing = false;
  let server: Server | undefined;
  let address: ProxyAddress | undefined;
  let closed: Promise<void> | undefined;
  let drained: (() => void) | undefined;

  const context: ForwardContext = {
    options: resolved,
    policy: createHeaderPolicy(resolved.connection),
    transport,
    log,
    access,
    answers,
    onStart: (res) => {
      active.add(res);
    },
    onEnd: (res) => {
      active.delete(res);
      if (closing) {
        // Let node:http finish the socket's bookkeeping, then drop connections that went idle.
        setImmediate(() => server?.closeIdleConnections());
        if (active.size === 0) drained?.();
      }
    },
  };

  /** Connections that got a refusal: anything already pipelined behind it is dropped, not forwarded. */
  const refused = new WeakSet<Socket>();

  /** node:http's parser refused the bytes (or the client was too slow): answer and log, never forward. */
  const onClientError = (err: NodeJS.ErrnoException, socket: Socket): void => {
    const answer = answers.forClientError(err);
    const midResponse = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (answer === undefined || !socket.writable || midResponse) {
      socket.destroy();
      return;
    }
    socket.end(rawAnswer(answer));
    access.answered('-', '-', answer);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    // RFC 9112 §9.6: after answering "Connection: close" the proxy processes no further (pipelined) request.
    if (refused.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    if (closing) res.shouldKeepAlive = false;
    const target = guard.check(req);
    if (typeof target !== 'string') {
      // The proxy answers and closes: after a refusal, whatever else the client sent is not read as a request.
      res.shouldKeepAlive = false;
      refused.add(req.socket);
      sendAnswer(res, target, req.method === 'HEAD');
      access.answered(req.method ?? '', req.url ?? '', target);
      return;
    }
    if (isLocalPath(target)) {
      const answer = local.handle(req.method ?? 'GET', target, res);
      access.answered(req.method ?? '', req.url ?? '', answer);
      return;
    }
    forwardRequest(context, req, res, target);
  };

  let listening: Promise<ProxyAddress> | undefined;
  const listen = (): Promise<ProxyAddress> => {
    if (closing) return Promise.reject(new VaultProxyError('LISTEN_FAILED', 'This proxy was closed; create a new one to listen again.'));
    listening ??= bind().catch((err: unknown) => {
      listening = undefined;
      throw err;
    });
    return listening;
  };

  const bind = (): Promise<ProxyAddress> => {
    const { host, port } = resolved;
    const srv = createServer(
      {
        maxHeaderSize: resolved.maxHeaderSize,
        headersTimeout: Math.min(resolved.headersTimeoutMs, resolved.requestTimeoutMs),
        requestTimeout: resolved.requestTimeoutMs,
        // node:http checks those two timeouts on this interval; keep it below the header bound so it bites.
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(resolved.headersTimeoutMs / 4))),
      },
      handler,
    );
    // Count one more than allowed, so the guard can tell a list that reached the limit (and may be cut) from one that did not.
    srv.maxHeadersCount = resolved.maxHeaderCount + 1;
    // A client that half-closes after its request still gets its answer.
    (srv as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    // Bodies may stall in either direction for at most this long (the socket is destroyed after).
    srv.setTimeout(resolved.idleTimeoutMs);
    srv.on('clientError', onClientError);
    srv.on('connect', (req: IncomingMessage, socket: Socket) => {
      socket.end(rawAnswer(guard.connectRefusal));
      access.answered(req.method ?? 'CONNECT', req.url ?? '', guard.connectRefusal);
    });
    return new Promise<ProxyAddress>((resolve, reject) => {
      const onListenError = (err: NodeJS.ErrnoException): void => {
        const where = `${urlHost(host)}:${port}`;
        if (err.code === 'EADDRINUSE') {
          const hint = `Stop whatever holds ${where} (vault-proxy stop, or lsof -i :${port}) or set VAULT_PROXY_PORT to a free port.`;
          reject(
            new VaultProxyError('PORT_IN_USE', `Port ${port} on ${host} is already in use (runbook failure mode A). ${hint}`, {
              cause: err,
              details: { host, port, failureMode: 'A', hint },
            }),
          );
          return;
        }
        const hint = 'Check VAULT_PROXY_HOST and VAULT_PROXY_PORT (an address of this machine, a port you may bind).';
        reject(
          new VaultProxyError('LISTEN_FAILED', `Cannot listen on ${where} (${err.code ?? 'error'}). ${hint}`, {
            cause: err,
            details: { host, port, failureMode: 'A', hint },
          }),
        );
      };
      srv.once('error', onListenError);
      srv.listen(port, host, () => {
        srv.off('error', onListenError);
        srv.on('error', (err: NodeJS.ErrnoException) => log.error('server error', { cause: err.code }));
        const bound = srv.address() as AddressInfo;
        server = srv;
        address = { host: bound.address, port: bound.port, url: `http://${urlHost(bound.address)}:${bound.port}` };
        log.info('vault-proxy listening', {
          url: address.url,
          upstream: resolved.connection.upstream.origin,
          connectTo: resolved.connection.connectTo ? transport.dialAddress : undefined,
          caFile: resolved.connection.caFile,
        });
        if (!resolved.isLoopbackBind) {
          log.warn('listening on a non-loopback address: anyone who can reach it can use the vault credentials', { host: bound.address });
        }
        resolve(address);
      });
    });
  };

  const waitForDrain = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (active.size === 0) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        drained = undefined;
        if (log.warnEnabled) log.warn('shutdown timeout reached; cutting in-flight requests', { inFlight: active.size });
        for (const res of active) res.destroy();
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
      srv?.closeIdleConnections();
      // Responses not yet started will say Connection: close.
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
      await waitForDrain();
      srv?.closeAllConnections();
      await serverClosed;
      transport.destroy();
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
    handler,
    options: resolved,
  };
}
