import { requestHeadText } from '../http1/head-writer.js';
import type { RequestHead } from '../http1/request-head.js';
import { pathWithoutQueryValues } from './access-log.js';
import type { PreparedAnswer } from './answer.js';
import { type ClientSide, type ExchangeContext, isReplayable, isStaleFailure, probeHalfClosedClient } from './exchange-context.js';
import { type ForwardedHeaders, forwardedRequestHeaders, upstreamRequestHeaders } from './header-policy.js';
import { redactHeaders } from './header-redaction.js';
import { monotonicMs } from './proxy-clock.js';
import { RequestIdentity } from './request-identity.js';
import { RequestWriter } from './request-writer.js';
import { type RelayEvents, ResponseRelay } from './response-relay.js';
import type { ConnectionHolder, UpstreamConnection } from './upstream-pool.js';

/**
 * One request forwarded to the vault and its answer streamed back: the
 * head and body written with the proxy's own framing, the response-head
 * deadline from the moment the request is fully sent, the idle timeout on
 * both sides, a retry on a fresh connection for a bodyless idempotent
 * request whose kept-alive connection had gone stale, and exactly one
 * answer for the client whatever happens.
 * @internal
 */
export class Exchange implements ConnectionHolder, RelayEvents {
  readonly #ctx: ExchangeContext;
  readonly #client: ClientSide;
  readonly #head: RequestHead;
  readonly #path: string;
  readonly #writer: RequestWriter;
  /** The client's part of the upstream headers (before token substitution) and the framing. */
  readonly #forwarded: ForwardedHeaders;
  readonly #identity: RequestIdentity | undefined;
  readonly #replayable: boolean;
  readonly #startedAt = monotonicMs();
  #conn: UpstreamConnection | undefined;
  #cancelWait: (() => void) | undefined;
  #requestSent = false;
  #retried = false;
  #timedOut = false;
  /** When the request's last byte was flushed to the vault (0: not yet): the response-head deadline runs from here. */
  #sentAt = 0;
  /** Last movement of the exchange (a byte from the vault, a piece of request body): the idle timeout runs from here. */
  #lastProgress: number;
  /** When it started waiting for a connection. */
  readonly #queuedAt: number;
  #relay: ResponseRelay | undefined;
  #over = false;
  /** Whether the client half-closed after its request (answer, then close). */
  #clientEnded = false;

  constructor(ctx: ExchangeContext, client: ClientSide, head: RequestHead, path: string) {
    this.#ctx = ctx;
    this.#client = client;
    this.#head = head;
    this.#path = path;
    this.#forwarded = forwardedRequestHeaders(head.rawHeaders, ctx.policy, head.lowerNames);
    this.#identity = RequestIdentity.of(ctx.tokens, head, path);
    const bodyless = head.framing.kind === 'none' || (head.framing.kind === 'length' && head.framing.length === 0);
    this.#writer = new RequestWriter(head.framing, bodyless, () => client.resumeBody());
    if (ctx.log.debugEnabled) {
      ctx.log.debug('forwarding', {
        method: head.method,
        path: pathWithoutQueryValues(path),
        inbound: redactHeaders(head.rawHeaders),
        upstream: redactHeaders(upstreamRequestHeaders(head.rawHeaders, ctx.policy, head.lowerNames)),
      });
    }
    this.#replayable = isReplayable(head, bodyless);
    this.#queuedAt = ctx.clock.now;
    this.#lastProgress = ctx.clock.now;
  }

  /** Check the deadlines (called on every tick of the proxy clock). */
  tick(now: number): void {
    if (this.#over) return;
    const o = this.#ctx.options;
    if (!this.#conn) {
      // Waiting for a pool slot counts against the response deadline too: the client waits all the same.
      if (now - this.#queuedAt > o.upstreamTimeoutMs) this.#timeout();
      return;
    }
    if (this.#sentAt !== 0 && !this.#relay?.headReceivedYet && now - this.#sentAt > o.upstreamTimeoutMs) this.#timeout();
    else if (now - this.#lastProgress > o.idleTimeoutMs) this.#timeout();
  }

  /** Ask the pool for a connection; the head goes out as soon as one is ready (with a renewed token, if one was due). */
  start(): void {
    this.#ctx.onStart();
    const identity = this.#identity;
    if (identity?.renewable) {
      identity.prepare().then(
        () => this.#acquire(this.#replayable),
        () => this.#acquire(this.#replayable),
      );
    } else this.#acquire(this.#replayable);
  }

  #acquire(replayable: boolean): void {
    if (this.#over) return;
    this.#cancelWait = this.#ctx.pool.acquire(replayable, this, (conn) => this.#attach(conn));
  }

  /** A piece of the request body (already de-chunked); returns false when the client should pause. */
  writeBody(data: Buffer): boolean {
    this.#lastProgress = this.#ctx.clock.now;
    this.#identity?.body(data);
    return this.#over || this.#writer.write(data);
  }

  /** The request body is complete. */
  endBody(): void {
    if (!this.#over) this.#writer.end();
  }

  /** The client sent FIN after its request: a half-close before the answer's head is probed, after it the client is going away. */
  clientEnded(): void {
    this.#clientEnded = true;
    if (this.#over) return;
    if (this.#relay?.headSent) {
      this.#client.socket.destroy();
      return;
    }
    if (!this.#head.http10) probeHalfClosedClient(this.#client.socket, () => !this.#over && !this.#relay?.headSent);
  }

  /** The client went away: never leave a vault request running for nobody. */
  clientGone(): void {
    if (this.#over) return;
    this.#conn?.destroy();
    this.#end(this.#relay?.status ?? 0, undefined, true);
  }

  #attach(conn: UpstreamConnection): void {
    this.#cancelWait = undefined;
    if (this.#over) {
      this.#ctx.pool.release(conn, undefined);
      return;
    }
    this.#conn = conn;
    this.#relay = new ResponseRelay(this.#ctx, this.#client.socket, this.#head, this, {
      holdRefusals: (this.#identity?.renewable ?? false) && this.#replayable && !this.#retried,
      capture: this.#identity?.isLogin ?? false,
    });
    const { headers: own, framing } = this.#forwarded;
    const headers = this.#identity ? this.#identity.headers(own) : own;
    // The injected headers come as one block prepared at start, then the framing: the order upstreamRequestHeaders gives.
    const text = requestHeadText(this.#head.method, this.#path, headers, this.#ctx.policy.injectedLines(), framing);
    this.#writer.attach(conn.socket, text, () => this.#requestDone());
    if (!this.#writer.ended) this.#client.resumeBody();
  }

  // RelayEvents: what the relay of the vault's answer tells the exchange (the exchange is its listener, no closures per request).
  pauseUpstream(): void {
    this.#conn?.socket.pause();
  }

  resumeUpstream(): void {
    this.#conn?.socket.resume();
  }

  captured(status: number, body: Buffer): void {
    this.#identity?.loginAnswered(status, body);
  }

  /** The request's last byte is flushed: the response-head deadline starts (unless the head is already in). */
  #requestDone(): void {
    if (this.#over || this.#requestSent) return;
    this.#requestSent = true;
    this.#sentAt = this.#ctx.clock.now;
    this.#lastProgress = this.#sentAt;
  }

  /** The vault refused the token: retry once with a renewed one, or relay the refusal. */
  held(status: number, body: Buffer): void {
    const identity = this.#identity as RequestIdentity;
    identity.retryAfter(status, body).then(
      (retry) => {
        if (this.#over) return;
        if (!retry) {
          this.#relay?.releaseHeld();
          return;
        }
        this.#retryOnFreshConnection('token renewed');
      },
      () => this.#relay?.releaseHeld(),
    );
  }

  /** Send the (bodyless, idempotent) request again on another connection. */
  #retryOnFreshConnection(reason: string): void {
    const conn = this.#conn;
    this.#retried = true;
    this.#conn = undefined;
    this.#relay = undefined;
    this.#sentAt = 0;
    this.#requestSent = false;
    // A connection that delivered a whole answer may serve others; a broken one is gone already.
    if (conn?.usable) this.#ctx.pool.release(conn, undefined);
    if (this.#ctx.log.debugEnabled) this.#ctx.log.debug('sending the request again', { reason });
    this.#acquire(true);
  }

  // ConnectionHolder: the vault's side.
  onData(chunk: Buffer): void {
    this.#lastProgress = this.#ctx.clock.now;
    this.#relay?.push(chunk);
  }

  onClose(error: NodeJS.ErrnoException | undefined): void {
    if (this.#over) return;
    const relay = this.#relay;
    if (relay?.headSent) {
      // A body framed by the connection's end is complete now; any other is cut off.
      if (!relay.endOfStream()) this.broken();
      return;
    }
    const code = error?.code ?? 'ECONNRESET';
    const stale = (this.#conn?.reused ?? false) && isStaleFailure(code) && !relay?.sawBytes;
    if (stale && this.#replayable && !this.#retried && !this.#timedOut) {
      // The kept-alive connection had gone stale: one fresh attempt is safe for a bodyless idempotent request.
      this.#conn = undefined;
      this.#retryOnFreshConnection(`stale connection (${code})`);
      return;
    }
    const answer = this.#timedOut
      ? this.#ctx.answers.timeout
      : this.#ctx.answers.unreachable(
          error ?? Object.assign(new Error('closed'), { code }),
          (this.#conn?.reused ?? false) || code === 'ECONNRESET',
        );
    if (this.#ctx.log.warnEnabled)
      this.#ctx.log.warn('upstream request failed', { method: this.#head.method, error: answer.code, cause: code });
    this.answer(answer);
  }

  #timeout(): void {
    if (this.#over) return;
    this.#timedOut = true;
    if (this.#conn) this.#conn.destroy();
    else {
      this.#cancelWait?.();
      this.answer(this.#ctx.answers.timeout);
    }
  }

  /**
   * Answer with the proxy's own JSON, then close the client connection (its request may be half read): for
   * the relay (a refused or broken answer of the vault) and for the client side (a broken or late request body).
   */
  answer(answer: PreparedAnswer): void {
    if (this.#over) return;
    this.#conn?.destroy();
    this.#relay?.answerInstead(answer);
    if (!this.#relay) ResponseRelay.writeAnswer(this.#client.socket, answer, this.#head);
    this.#end(answer.status, answer.code, false, false);
  }

  complete(reusable: boolean): void {
    if (this.#over) return;
    const conn = this.#conn as UpstreamConnection;
    // Reuse only once the whole request is handed to the socket (it sends in order; flushed is not needed).
    if (reusable && this.#writer.ended) this.#ctx.pool.release(conn, this.#relay?.keepAliveMs);
    else conn.destroy();
    const relay = this.#relay as ResponseRelay;
    this.#end(relay.status, relay.code, false, this.#writer.ended && !this.#clientEnded && relay.clientReusable);
  }

  /** The vault broke off mid-body: cut the client too, so it cannot take a truncated body for a whole one. */
  broken(): void {
    if (this.#over) return;
    this.#conn?.destroy();
    this.#client.socket.destroy();
    this.#end(this.#relay?.status ?? 502, this.#relay?.code, true);
  }

  #end(status: number, code: string | undefined, aborted: boolean, reusable = false): void {
    if (this.#over) return;
    this.#over = true;
    this.#cancelWait?.();
    this.#ctx.onEnd();
    if (this.#ctx.access.enabled) {
      this.#ctx.access.exchanged({
        method: this.#head.method,
        target: this.#path,
        status,
        upstreamMs: this.#relay?.upstreamMs === undefined ? undefined : this.#relay.upstreamMs - this.#startedAt,
        durationMs: monotonicMs() - this.#startedAt,
        bytes: this.#relay?.bytes ?? 0,
        code,
        aborted,
        renewed: this.#identity?.renewed ?? false,
      });
    }
    if (!aborted) this.#client.finished(reusable);
  }
}
