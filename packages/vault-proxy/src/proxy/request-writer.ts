import type { Socket } from 'node:net';
import type { BodyFraming } from '../http1/head-syntax.js';

/** Request body bytes held while no connection is ready yet, before the client is paused. */
const PENDING_LIMIT = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

/**
 * Writes one request to the vault with the proxy's own framing: the head,
 * then the body exactly as declared (`Content-Length` bytes, or re-chunked),
 * holding what arrives before a connection is ready (bounded: the client is
 * paused past 64 KiB) and telling when the vault's side drained.
 * @internal
 */
export class RequestWriter {
  readonly #chunked: boolean;
  readonly #onDrain: () => void;
  #socket: Socket | undefined;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #ended: boolean;
  #waitingDrain = false;
  #onSent: (() => void) | undefined;

  /** `ended`: the request has no body. `onDrain`: the client may send more body. */
  constructor(framing: BodyFraming, ended: boolean, onDrain: () => void) {
    this.#chunked = framing.kind === 'chunked';
    this.#ended = ended;
    this.#onDrain = onDrain;
  }

  /** Whether the whole request body has been handed over. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Write everything so far on `socket` (one corked write) and keep writing
   * there; `onSent` runs once the request's last byte is flushed. Call again
   * with a fresh connection for a retry (only a bodyless request is retried,
   * so nothing of a body is ever sent twice).
   */
  attach(socket: Socket, headText: string, onSent: () => void): void {
    this.#socket = socket;
    this.#onSent = onSent;
    if (this.#ended && this.#pending.length === 0 && !this.#chunked) {
      // The common case, a bodyless request: one write, whose callback says it is flushed.
      socket.write(headText, 'latin1', onSent);
      return;
    }
    socket.cork();
    socket.write(headText, 'latin1');
    for (const data of this.#pending) this.#put(socket, data);
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.#ended) this.#finish(socket);
    socket.uncork();
  }

  /** A piece of the request body (already de-chunked); false when the client should pause. */
  write(data: Buffer): boolean {
    const socket = this.#socket;
    if (!socket) {
      this.#pending.push(data);
      this.#pendingBytes += data.length;
      return this.#pendingBytes < PENDING_LIMIT;
    }
    const ok = this.#put(socket, data);
    if (!ok && !this.#waitingDrain) {
      this.#waitingDrain = true;
      socket.once('drain', () => {
        this.#waitingDrain = false;
        this.#onDrain();
      });
    }
    return ok;
  }

  /** The body is complete. */
  end(): void {
    this.#ended = true;
    if (this.#socket) this.#finish(this.#socket);
  }

  #put(socket: Socket, data: Buffer): boolean {
    if (!this.#chunked) return socket.write(data);
    socket.cork();
    socket.write(`${data.length.toString(16)}\r\n`, 'latin1');
    socket.write(data);
    const ok = socket.write(CRLF);
    socket.uncork();
    return ok;
  }

  #finish(socket: Socket): void {
    const sent = this.#onSent;
    const done = (): void => sent?.();
    if (this.#chunked) socket.write(LAST_CHUNK, done);
    else socket.write('', done);
  }
}
