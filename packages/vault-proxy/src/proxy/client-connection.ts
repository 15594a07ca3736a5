import type { Socket } from 'node:net';
import { ChunkedDecoder } from '../http1/chunked-decoder.js';
import type { HeadLimits } from '../http1/head-syntax.js';
import { parseRequestHead, type RequestHead } from '../http1/request-head.js';
import { answerBytes, type PreparedAnswer } from './answer.js';
import { Exchange } from './exchange.js';
import type { ClientSide, ExchangeContext } from './exchange-context.js';
import { isLocalPath, type LocalEndpoints } from './local-endpoints.js';
import type { RequestGuard } from './request-guard.js';

/** What a client connection needs besides forwarding. @internal */
export interface ClientContext extends ExchangeContext {
  readonly guard: RequestGuard;
  readonly local: LocalEndpoints;
  readonly limits: HeadLimits;
  /** Whether the proxy is shutting down (answer what is in flight, then close). */
  readonly closing: () => boolean;
}

/** Bytes read ahead of the current exchange (pipelined requests) before the client is paused. */
const READ_AHEAD_LIMIT = 64 * 1024;

/**
 * One client's TCP connection: request heads parsed strictly (nothing the
 * parser refuses goes anywhere), the guard's verdict before any byte is
 * forwarded, the body framed exactly as declared, one exchange at a time
 * (pipelined requests wait their turn), and every request answered and
 * logged. After a refusal the connection is closed, so nothing behind the
 * refused request is ever read as a request.
 * @internal
 */
export class ClientConnection implements ClientSide {
  readonly socket: Socket;
  readonly #ctx: ClientContext;
  #state: 'head' | 'body' | 'response' | 'closed' = 'head';
  #buf: Buffer | undefined;
  #exchange: Exchange | undefined;
  #head: RequestHead | undefined;
  #remaining = 0;
  #decoder: ChunkedDecoder | undefined;
  /** When the current head started to arrive (0: no partial head). */
  #headSince = 0;
  /** When the current request body started (0: not reading one). */
  #bodySince = 0;
  /** Last byte from the client (for the idle timeout between and during requests). */
  #lastRead: number;
  #ended = false;

  constructor(socket: Socket, ctx: ClientContext) {
    this.socket = socket;
    this.#ctx = ctx;
    socket.setNoDelay(true);
    this.#lastRead = ctx.clock.now;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#onClose());
  }

  /** Whether nothing is in flight on this connection (shutdown closes it at once). */
  get idle(): boolean {
    return this.#state === 'head' && this.#exchange === undefined && this.#buf === undefined;
  }

  /** Close now if idle; otherwise the connection closes after its current answer. */
  closeIfIdle(): void {
    if (this.idle) this.#close();
  }

  resumeBody(): void {
    if (this.#state === 'body') this.socket.resume();
  }

  finished(reusable: boolean): void {
    this.#exchange = undefined;
    this.#head = undefined;
    if (this.#state === 'closed') return;
    if (!reusable || this.#ended || this.#ctx.closing()) {
      this.#close();
      return;
    }
    this.#state = 'head';
    this.socket.resume();
    // A pipelined request may already be waiting.
    if (this.#buf !== undefined) setImmediate(() => this.#parse());
  }

  /** Check this connection's deadlines (called on every tick of the proxy clock). */
  tick(now: number): void {
    const o = this.#ctx.options;
    if (this.#headSince !== 0 && now - this.#headSince > o.headersTimeoutMs) {
      this.#refuse(this.#ctx.answers.requestTimeout, '-', '-');
      return;
    }
    if (this.#bodySince !== 0 && now - this.#bodySince > o.requestTimeoutMs) {
      this.#bodyTimeout();
      return;
    }
    if (this.#exchange) this.#exchange.tick(now);
    // Between requests: an idle keep-alive connection. While reading a body: a client that stopped sending.
    else if (now - this.#lastRead > o.idleTimeoutMs) this.#close();
    if (this.#state === 'body' && now - this.#lastRead > o.idleTimeoutMs) this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#lastRead = this.#ctx.clock.now;
    switch (this.#state) {
      case 'head':
        this.#buf = this.#buf === undefined ? chunk : Buffer.concat([this.#buf, chunk]);
        this.#parse();
        break;
      case 'body':
        this.#readBody(chunk);
        break;
      case 'response':
        this.#buf = this.#buf === undefined ? chunk : Buffer.concat([this.#buf, chunk]);
        if (this.#buf.length > READ_AHEAD_LIMIT) this.socket.pause();
        break;
      default:
    }
  }

  #parse(): void {
    if (this.#state !== 'head' || this.#buf === undefined) return;
    const parsed = parseRequestHead(this.#buf, this.#ctx.limits);
    if (!parsed.ok) {
      if (parsed.problem === 'incomplete') {
        if (this.#headSince === 0) this.#headSince = this.#ctx.clock.now;
        return;
      }
      const answer =
        parsed.problem === 'too-large'
          ? this.#ctx.answers.headersTooLarge
          : parsed.problem === 'too-many'
            ? this.#ctx.answers.refused.tooManyHeaders
            : this.#ctx.answers.requestInvalid;
      this.#refuse(answer, '-', '-');
      return;
    }
    this.#headSince = 0;
    const rest = parsed.consumed === this.#buf.length ? undefined : this.#buf.subarray(parsed.consumed);
    this.#buf = undefined;
    this.#handle(parsed.head, rest);
  }

  #handle(head: RequestHead, rest: Buffer | undefined): void {
    const verdict = this.#ctx.guard.check(head, this.socket.localPort);
    if (typeof verdict !== 'string') {
      this.#refuse(verdict, head.method, head.target, head.method === 'HEAD');
      return;
    }
    const hasBody = head.framing.kind === 'chunked' || (head.framing.kind === 'length' && head.framing.length > 0);
    if (isLocalPath(verdict)) {
      const answer = this.#ctx.local.answer(head.method, verdict);
      // A body sent to a local endpoint is not read: close rather than parse it as the next request.
      const close = hasBody || !head.keepAlive || this.#ended || this.#ctx.closing();
      this.socket.write(answerBytes(answer, { close, head: head.method === 'HEAD', http10: head.http10 }));
      this.#ctx.access.answered(head.method, head.target, answer);
      if (close) this.#close();
      else {
        this.#buf = rest;
        this.#parse();
      }
      return;
    }
    this.#head = head;
    const exchange = new Exchange(this.#ctx, this, head, verdict);
    this.#exchange = exchange;
    if (hasBody) {
      this.#state = 'body';
      if (head.framing.kind === 'chunked') this.#decoder = new ChunkedDecoder();
      else this.#remaining = head.framing.kind === 'length' ? head.framing.length : 0;
      this.#bodySince = this.#ctx.clock.now;
      // Until a connection to the vault is ready, the body is held (bounded) rather than read without limit.
      this.socket.pause();
      if (head.expectContinue) this.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    } else this.#state = 'response';
    exchange.start();
    if (rest !== undefined) this.#onData(rest);
  }

  #readBody(chunk: Buffer): void {
    const exchange = this.#exchange as Exchange;
    let leftover: Buffer | undefined;
    if (this.#decoder) {
      const used = this.#decoder.push(chunk, (data) => {
        if (!exchange.writeBody(data)) this.socket.pause();
      });
      if (used === -1) {
        this.#bodyFailed();
        return;
      }
      if (!this.#decoder.done) return;
      if (used < chunk.length) leftover = chunk.subarray(used);
    } else {
      const take = Math.min(this.#remaining, chunk.length);
      if (take > 0 && !exchange.writeBody(take === chunk.length ? chunk : chunk.subarray(0, take))) this.socket.pause();
      this.#remaining -= take;
      if (this.#remaining > 0) return;
      if (take < chunk.length) leftover = chunk.subarray(take);
    }
    this.#bodySince = 0;
    this.#decoder = undefined;
    this.#state = 'response';
    this.socket.resume();
    exchange.endBody();
    if (leftover !== undefined) this.#onData(leftover);
  }

  /** The request body broke its chunked framing: refuse (or, after the answer started, cut). */
  #bodyFailed(): void {
    this.#exchange?.answer(this.#ctx.answers.requestInvalid);
    this.#close();
  }

  #bodyTimeout(): void {
    this.#exchange?.answer(this.#ctx.answers.requestTimeout);
    this.#close();
  }

  /** Answer a request the proxy will not forward, log it, and close. */
  #refuse(answer: PreparedAnswer, method: string, target: string, isHead = false): void {
    this.#headSince = 0;
    if (this.socket.writable) this.socket.end(answerBytes(answer, { close: true, head: isHead }));
    this.#ctx.access.answered(method, target, answer);
    this.#state = 'closed';
    this.#buf = undefined;
  }

  #onEnd(): void {
    this.#ended = true;
    if (this.#state === 'response') this.#exchange?.clientEnded();
    else if (this.#state === 'body') this.socket.destroy();
    else if (this.#state === 'head') this.#close();
  }

  #onClose(): void {
    this.#headSince = 0;
    this.#bodySince = 0;
    this.#state = 'closed';
    this.#exchange?.clientGone();
    this.#exchange = undefined;
  }

  #close(): void {
    this.#headSince = 0;
    this.#bodySince = 0;
    this.#state = 'closed';
    this.#buf = undefined;
    if (!this.socket.destroyed) this.socket.end();
  }
}
