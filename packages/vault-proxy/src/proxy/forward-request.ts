import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isCloudflareAccessLogin, isCloudflareRefusal } from '../cloudflare/cloudflare-answer.js';
import { type AccessLog, pathWithoutQueryValues } from './access-log.js';
import { sendAnswer } from './answer.js';
import { downstreamResponseHeaders, type HeaderPolicy, redactHeaders, upstreamRequestHeaders } from './header-policy.js';
import type { ProxyLogger } from './logger.js';
import type { ProxyAnswers } from './proxy-answers.js';
import type { ResolvedProxyOptions } from './proxy-options.js';
import type { UpstreamTransport } from './upstream-pool.js';

/**
 * What forwarding needs, built once per proxy.
 * @internal
 */
export interface ForwardContext {
  readonly options: ResolvedProxyOptions;
  readonly policy: HeaderPolicy;
  readonly transport: UpstreamTransport;
  readonly log: ProxyLogger;
  readonly access: AccessLog;
  readonly answers: ProxyAnswers;
  /** Called when an exchange starts and when it is over (response finished or abandoned). */
  readonly onStart: (res: ServerResponse) => void;
  readonly onEnd: (res: ServerResponse) => void;
}

const RETRYABLE = new Set(['ECONNRESET', 'EPIPE']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Delay between the two probes of a client that sent FIN (loopback clients answer a probe with a reset at once). */
const HALF_CLOSE_PROBE_MS = 50;
const IDEMPOTENT_BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/**
 * Forward one request to upstream and stream the answer back. Bodies flow
 * through `pipe` with backpressure, never buffered. The client
 * leaving destroys the upstream request; upstream breaking mid-body
 * destroys the client response.
 * @internal
 */
export function forwardRequest(ctx: ForwardContext, req: IncomingMessage, res: ServerResponse, path: string): void {
  const { log } = ctx;
  const method = req.method ?? 'GET';
  const isHead = method === 'HEAD';
  const timing = ctx.access.enabled;
  const startedAt = timing ? performance.now() : 0;
  let upstreamMs: number | undefined;
  let bytes = 0;
  let code: string | undefined;
  let over = false;
  let upReq: ClientRequest;
  let timedOut = false;
  let responded = false;
  let headTimer: NodeJS.Timeout | undefined;

  ctx.onStart(res);
  const headers = upstreamRequestHeaders(req.rawHeaders, ctx.policy);
  const replayable = IDEMPOTENT_BODYLESS.has(method) && hasNoBody(req);
  if (log.debugEnabled) {
    log.debug('forwarding', {
      method,
      path: pathWithoutQueryValues(path),
      inbound: redactHeaders(req.rawHeaders),
      upstream: redactHeaders(headers),
    });
  }

  /**
   * The client sent FIN. Before the response head that may be a half-close
   * after a complete request (legal HTTP/1.1): probe with an interim `100
   * Continue`, which HTTP/1.1 clients must skip. A client that is really
   * gone answers the first probe with a reset, which the second one meets
   * (a socket past EOF no longer reads, so only a write can see it); the
   * exchange is then abandoned as for any abort. After the head, a FIN is
   * an abort.
   */
  const onClientEnd = (): void => {
    if (over) return;
    res.shouldKeepAlive = false;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeContinue();
    setTimeout(() => {
      if (!over && !res.headersSent) res.writeContinue();
    }, HALF_CLOSE_PROBE_MS).unref();
  };
  const socket = req.socket;
  socket.once('end', onClientEnd);

  const end = (): void => {
    if (over) return;
    over = true;
    socket.off('end', onClientEnd);
    clearTimeout(headTimer);
    ctx.onEnd(res);
    if (timing) {
      ctx.access.exchanged({
        method,
        target: path,
        status: res.statusCode,
        upstreamMs,
        durationMs: performance.now() - startedAt,
        bytes,
        code,
        aborted: !res.writableFinished,
      });
    }
  };

  /** The response-head deadline passed, or a body stalled: give up on this upstream exchange. */
  const onTimeout = (): void => {
    timedOut = true;
    upReq.destroy();
  };

  /** Start the head deadline once the request is fully sent: until then the client, not the vault, sets the pace. */
  const onRequestSent = (): void => {
    if (!responded && !over) headTimer = setTimeout(onTimeout, ctx.options.upstreamTimeoutMs);
  };

  /** An interim answer: 100 and 103 are the vault's business; anything else (102, a stray 1xx) cannot be relayed. */
  const onInformation = (info: { statusCode: number }): void => {
    if (info.statusCode === 100 || info.statusCode === 103) return;
    refuseProtocol(`an unexpected ${info.statusCode} interim response`);
  };

  /** The vault switched protocols or sent an interim status the proxy does not relay: 502, connection discarded. */
  const refuseProtocol = (what: string): void => {
    if (responded || over) return;
    responded = true;
    clearTimeout(headTimer);
    req.unpipe(upReq);
    upReq.socket?.destroy();
    upReq.destroy();
    const answer = ctx.answers.protocol;
    code = answer.code;
    if (log.warnEnabled) log.warn('upstream answered outside plain HTTP/1.1', { method, path: pathWithoutQueryValues(path), what });
    sendAnswer(res, answer, isHead);
  };

  const onError = (err: NodeJS.ErrnoException): void => {
    // After the response started, a failure surfaces on upRes (onBrokenResponse); after the client left, nobody listens.
    if (responded || over) return;
    const reused = upReq.reusedSocket;
    if (!timedOut && reused && RETRYABLE.has(err.code ?? '') && replayable) {
      // A pooled connection upstream had already closed; one fresh attempt is safe for a bodyless idempotent request.
      log.debug('retrying on a fresh upstream connection', { code: err.code });
      req.unpipe(upReq);
      dispatch();
      return;
    }
    responded = true;
    req.unpipe(upReq);
    const answer = timedOut ? ctx.answers.timeout : ctx.answers.unreachable(err, reused || err.code === 'ECONNRESET');
    code = answer.code;
    if (log.warnEnabled) log.warn('upstream request failed', { method, path: pathWithoutQueryValues(path), error: code, cause: err.code });
    sendAnswer(res, answer, isHead);
  };

  const onResponse = (upRes: IncomingMessage): void => {
    if (timing) upstreamMs = performance.now() - startedAt;
    const status = upRes.statusCode ?? 502;
    if (status < 200) {
      upRes.resume();
      refuseProtocol(`a ${status} response`);
      return;
    }
    clearTimeout(headTimer);
    responded = true;
    if (REDIRECTS.has(status)) {
      const location = upRes.headers.location;
      if (location !== undefined && isCloudflareAccessLogin(location, ctx.options.connection.upstream)) {
        upRes.resume();
        code = ctx.answers.loginRedirect.code;
        if (log.warnEnabled)
          log.warn('Cloudflare Access login redirect refused', { path: pathWithoutQueryValues(path), hint: ctx.answers.cloudflareHint });
        sendAnswer(res, ctx.answers.loginRedirect, isHead);
        return;
      }
    } else if (status === 403) {
      if (isCloudflareRefusal(status, upRes.headers)) {
        code = 'CF_ACCESS_DENIED';
        if (log.warnEnabled)
          log.warn('Cloudflare Access denied the request', { path: pathWithoutQueryValues(path), hint: ctx.answers.cloudflareHint });
      }
    }
    try {
      res.writeHead(status, downstreamResponseHeaders(upRes.rawHeaders));
    } catch (err) {
      upRes.destroy();
      code = 'UPSTREAM_ABORTED';
      if (log.warnEnabled) log.warn('upstream response headers rejected', { cause: (err as NodeJS.ErrnoException).code });
      sendAnswer(res, ctx.answers.badResponseHeaders, isHead);
      return;
    }
    if (timing)
      upRes.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
    // pipe() rather than pipeline(): same backpressure, without an AbortController per request.
    upRes.on('error', onBrokenResponse);
    upRes.once('close', () => {
      if (!upRes.complete) onBrokenResponse();
    });
    upRes.pipe(res);
  };

  const onBrokenResponse = (err?: NodeJS.ErrnoException): void => {
    // Upstream broke mid-body: cut the client too, so it cannot take a truncated body for a whole one.
    if (!res.destroyed) res.destroy();
    if (log.debugEnabled) log.debug('upstream response broke off', { path: pathWithoutQueryValues(path), cause: err?.code });
  };

  const dispatch = (): void => {
    clearTimeout(headTimer);
    upReq = ctx.transport.request(method, path, headers, replayable);
    upReq.on('error', onError);
    upReq.once('timeout', onTimeout);
    upReq.once('response', onResponse);
    upReq.on('information', onInformation);
    upReq.once('upgrade', (upRes: IncomingMessage, socket) => {
      socket.destroy();
      refuseProtocol(`${upRes.statusCode} Switching Protocols`);
    });
    upReq.once('finish', onRequestSent);
    if (req.readableEnded) upReq.end();
    else req.pipe(upReq);
  };

  res.once('close', () => {
    // The client went away (or the response is complete): never leave an upstream request running for nobody.
    if (!res.writableFinished) upReq.destroy();
    end();
  });
  dispatch();
}
