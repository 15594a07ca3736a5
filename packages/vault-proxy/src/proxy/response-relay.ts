import type { Socket } from 'node:net';
import { ChunkedDecoder } from '../http1/chunked-decoder.js';
import { responseHeadText } from '../http1/head-writer.js';
import type { RequestHead } from '../http1/request-head.js';
import { parseResponseHead, type ResponseHead } from '../http1/response-head.js';
import { answerBytes, type PreparedAnswer } from './answer.js';
import { cloudflareGate } from './cloudflare-gate.js';
import type { ExchangeContext } from './exchange-context.js';
import { downstreamResponseHeaders } from './header-policy.js';
import { monotonicMs } from './proxy-clock.js';

/** What the relay tells its exchange. @internal */
export interface RelayEvents {
  /** The proxy answers instead of relaying (a Cloudflare refusal, a protocol the proxy does not relay). */
  answer(answer: PreparedAnswer): void;
  /** The response went through whole; `reusable`: the vault's connection may carry another request. */
  complete(reusable: boolean): void;
  /** The vault's body broke its own framing mid-way. */
  broken(): void;
  pauseUpstream(): void;
  resumeUpstream(): void;
  /** A held refusal (401/403) arrived whole: the exchange decides to retry or to {@link ResponseRelay.releaseHeld}. */
  held(status: number, body: Buffer): void;
  /** A captured answer arrived whole (it was relayed too). */
  captured(status: number, body: Buffer): void;
}

/** What the relay does besides relaying. @internal */
export interface RelayOptions {
  /** Hold back a small 401/403 instead of relaying it, so the exchange can retry with a renewed token. */
  readonly holdRefusals: boolean;
  /** Keep a copy of a small answer body (a login's) while relaying it. */
  readonly capture: boolean;
}

/** Limits of a response head from the vault (generous: it is trusted for size, not for framing). */
const RESPONSE_LIMITS = { maxHeaderSize: 64 * 1024, maxHeaderCount: 256 };
/** Bodies held back or captured are small JSON answers; bigger ones are relayed untouched. */
const MAX_KEPT_BODY = 64 * 1024;
/** Bodies up to this size that arrive with their head are sent in the same write as the head. */
const SINGLE_WRITE_LIMIT = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

/**
 * The vault's answer to one request, parsed strictly and relayed with the
 * proxy's own framing: head through the response header policy, body
 * byte-exact (`Content-Length`) or re-chunked (`chunked`, or a body that ends
 * with the connection), backpressure both ways. Interim 100/103 are dropped;
 * a 101 or any other 1xx, or a head the parser refuses, becomes 502.
 * @internal
 */
export class ResponseRelay {
  readonly #ctx: ExchangeContext;
  readonly #client: Socket;
  readonly #request: RequestHead;
  readonly #events: RelayEvents;
  #buf: Buffer | undefined;
  #response: ResponseHead | undefined;
  #remaining = 0;
  #decoder: ChunkedDecoder | undefined;
  #chunkedToClient = false;
  #extraBytes = false;
  #done = false;
  #waitingDrain = false;
  readonly #options: RelayOptions;
  /** A refusal held back: its head text and body, not yet relayed. */
  #held: { text: string; body: Buffer[] } | undefined;
  #captured: Buffer[] | undefined;
  /** Status sent to the client (the vault's, or the proxy's own answer's). */
  status = 0;
  code: string | undefined;
  /** Body bytes sent to the client. */
  bytes = 0;
  /** When the final head arrived (`monotonicMs()`). */
  upstreamMs: number | undefined;
  headSent = false;
  sawBytes = false;

  constructor(ctx: ExchangeContext, client: Socket, request: RequestHead, events: RelayEvents, options: RelayOptions) {
    this.#options = options;
    this.#ctx = ctx;
    this.#client = client;
    this.#request = request;
    this.#events = events;
  }

  get headReceivedYet(): boolean {
    return this.#response !== undefined;
  }

  /** The vault's `Keep-Alive: timeout=` hint, when it gave one. */
  get keepAliveMs(): number | undefined {
    return this.#response?.keepAliveMs;
  }

  /** Whether the client connection can carry another request after this response. */
  get clientReusable(): boolean {
    return this.#request.keepAlive && (this.#response?.framing.kind !== 'close' || this.#chunkedToClient);
  }

  /** Write a prepared answer as the whole response and close (the request may be half read). */
  static writeAnswer(socket: Socket, answer: PreparedAnswer, request: RequestHead): void {
    if (!socket.destroyed) socket.end(answerBytes(answer, { close: true, head: request.method === 'HEAD' }));
  }

  /** Answer with the proxy's own JSON instead; after the head went out, all that is left is to cut the client. */
  answerInstead(answer: PreparedAnswer): void {
    this.#done = true;
    if (this.headSent) {
      this.#client.destroy();
      return;
    }
    this.status = answer.status;
    this.code = answer.code;
    this.bytes = answer.body.length;
    ResponseRelay.writeAnswer(this.#client, answer, this.#request);
  }

  /** Bytes from the vault. */
  push(chunk: Buffer): void {
    if (this.#done) {
      this.#extraBytes = true;
      return;
    }
    this.sawBytes = true;
    if (this.#response === undefined) this.#readHead(chunk);
    else this.#readBody(chunk);
  }

  /** The vault closed the connection; returns whether that completed the response (a body framed by the close). */
  endOfStream(): boolean {
    if (this.#done) return true;
    if (this.#response?.framing.kind !== 'close') return false;
    this.#finish(false);
    return true;
  }

  #readHead(chunk: Buffer): void {
    let buf = this.#buf === undefined ? chunk : Buffer.concat([this.#buf, chunk]);
    for (;;) {
      const parsed = parseResponseHead(buf, RESPONSE_LIMITS, this.#request.method);
      if (!parsed.ok) {
        if (parsed.problem === 'incomplete') {
          // The read buffer is reused after this call: keep a copy.
          this.#buf = buf === chunk ? Buffer.from(buf) : buf;
          return;
        }
        this.#events.answer(this.#ctx.answers.protocol);
        return;
      }
      const head = parsed.head;
      buf = buf.subarray(parsed.consumed);
      if (head.status >= 200) {
        this.#buf = undefined;
        this.#startBody(head, buf);
        return;
      }
      // 100 Continue and 103 Early Hints are the vault's business; a protocol switch or another interim status is not relayed.
      if (head.status !== 100 && head.status !== 103) {
        if (this.#ctx.log.warnEnabled) this.#ctx.log.warn('upstream answered outside plain HTTP/1.1', { status: head.status });
        this.#events.answer(this.#ctx.answers.protocol);
        return;
      }
    }
  }

  #startBody(head: ResponseHead, rest: Buffer): void {
    this.upstreamMs = monotonicMs();
    const refusal = cloudflareGate(this.#ctx, head);
    if (refusal) {
      this.#events.answer(refusal);
      return;
    }
    this.#response = head;
    this.status = head.status;
    const headers = downstreamResponseHeaders(head.rawHeaders, head.lowerNames);
    const framing = head.framing;
    if (framing.kind === 'length') {
      this.#remaining = framing.length;
      headers.push('Content-Length', String(framing.length));
    } else if (framing.kind === 'chunked' || framing.kind === 'close') {
      if (framing.kind === 'chunked') this.#decoder = new ChunkedDecoder();
      // An HTTP/1.0 client cannot read chunked: its body ends with the connection.
      this.#chunkedToClient = !this.#request.http10;
      if (this.#chunkedToClient) headers.push('Transfer-Encoding', 'chunked');
    } else if (this.#request.method !== 'HEAD' && head.status !== 204 && head.status !== 304) {
      headers.push('Content-Length', '0');
    }
    if (!this.clientReusable) headers.push('Connection', 'close');
    else if (this.#request.http10) headers.push('Connection', 'keep-alive');
    const text = responseHeadText(head.status, head.reason, headers);
    const small = framing.kind === 'length' && framing.length <= MAX_KEPT_BODY;
    if (this.#options.holdRefusals && small && (head.status === 401 || head.status === 403)) {
      // Not relayed yet: if the token expired, the exchange retries and the client never sees this answer.
      this.#held = { text, body: [] };
      this.#remaining = framing.length;
      if (rest.length > 0) this.#readBody(rest);
      else if (framing.length === 0) this.#finish(true);
      return;
    }
    if (this.#options.capture && small) this.#captured = [];
    this.headSent = true;
    if (!this.#captured && framing.kind === 'length' && rest.length >= framing.length && framing.length <= SINGLE_WRITE_LIMIT) {
      // The common case, a small answer whose body came with its head: one buffer, one plain write.
      const out = Buffer.allocUnsafe(text.length + framing.length);
      out.write(text, 0, 'latin1');
      rest.copy(out, text.length, 0, framing.length);
      this.bytes += framing.length;
      this.#remaining = 0;
      this.#client.write(out);
      this.#finish(rest.length === framing.length);
      return;
    }
    this.#client.cork();
    this.#client.write(text, 'latin1');
    if (framing.kind === 'none') this.#finish(rest.length === 0);
    else if (rest.length > 0) this.#readBody(rest);
    this.#client.uncork();
  }

  #readBody(chunk: Buffer): void {
    const framing = (this.#response as ResponseHead).framing;
    if (framing.kind === 'length') {
      const take = Math.min(this.#remaining, chunk.length);
      if (take > 0) this.#send(take === chunk.length ? chunk : chunk.subarray(0, take));
      this.#remaining -= take;
      if (this.#remaining === 0) this.#finish(take === chunk.length);
    } else if (framing.kind === 'chunked') {
      const decoder = this.#decoder as ChunkedDecoder;
      const used = decoder.push(chunk, (data) => this.#send(data));
      if (used === -1) this.#events.broken();
      else if (decoder.done) this.#finish(used === chunk.length);
    } else this.#send(chunk);
  }

  #send(data: Buffer): void {
    if (this.#held) {
      this.#held.body.push(Buffer.from(data));
      return;
    }
    this.#captured?.push(Buffer.from(data));
    this.bytes += data.length;
    // `data` lives in the shared read buffer: the client gets a pooled copy, given back once flushed.
    const [view, done] = this.#ctx.pool.buffers.copyForWrite(data);
    let ok: boolean;
    if (this.#chunkedToClient) {
      this.#client.cork();
      this.#client.write(`${data.length.toString(16)}\r\n`, 'latin1');
      this.#client.write(view, done);
      ok = this.#client.write(CRLF);
      this.#client.uncork();
    } else ok = this.#client.write(view, done);
    if (!ok && !this.#waitingDrain) {
      this.#waitingDrain = true;
      this.#events.pauseUpstream();
      this.#client.once('drain', () => {
        this.#waitingDrain = false;
        this.#events.resumeUpstream();
      });
    }
  }

  /** The body is complete; `clean` says no byte followed it (one that did means the connection is out of step). */
  #finish(clean: boolean): void {
    if (this.#done) return;
    this.#done = true;
    if (!clean) this.#extraBytes = true;
    const response = this.#response as ResponseHead;
    if (this.#held) {
      this.#events.held(response.status, Buffer.concat(this.#held.body));
      return;
    }
    if (this.#chunkedToClient) this.#client.write(LAST_CHUNK);
    if (this.#captured) this.#events.captured(response.status, Buffer.concat(this.#captured));
    this.#events.complete(response.reusable && !this.#extraBytes);
  }

  /** Relay the refusal held back (no retry was possible), then complete as usual. */
  releaseHeld(): void {
    const held = this.#held;
    if (!held) return;
    this.#held = undefined;
    this.headSent = true;
    const body = Buffer.concat(held.body);
    this.bytes += body.length;
    this.#client.write(Buffer.concat([Buffer.from(held.text, 'latin1'), body]));
    const response = this.#response as ResponseHead;
    this.#events.complete(response.reusable && !this.#extraBytes);
  }
}
