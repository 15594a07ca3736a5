import { hasInvalidValueByte } from './head-syntax.js';

/** `;name` or `;name=token` / `;name="quoted"`, repeated, without whitespace (RFC 9112 §7.1.1, minus the optional BWS). */
const CHUNK_EXTENSIONS = /^(?:;[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"[^"\\\s]*"))?)*$/;

/**
 * A streaming decoder of the chunked transfer coding (RFC 9112 §7.1),
 * strict: hex sizes of at most 12 digits, chunk extensions only as
 * `;name[=value]` tokens, CRLF after every line and every chunk's data,
 * and no trailer fields at all (nothing on the vault's path sends them, and
 * parsers disagree on them, so they are refused rather than interpreted).
 * Feed it bytes as they come; it hands out the data and says where the
 * coded body ended, so the bytes after it are the next message's.
 * @internal
 */
export class ChunkedDecoder {
  #state: 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' | 'error' = 'size';
  /** Bytes of the current chunk not yet handed out. */
  #remaining = 0;
  /** A size or trailer line split across pushes. */
  #line = '';
  /** Why decoding failed, when it did. */
  error: string | undefined;

  /** Whether the last chunk and the trailer section have been read. */
  get done(): boolean {
    return this.#state === 'done';
  }

  /**
   * Decode `buf`, calling `onData` with each run of payload bytes (views of
   * `buf`, not copies). Returns how many bytes of `buf` belong to the coded
   * body: all of them while it goes on, fewer once it ends, and `-1` on a
   * framing error (see {@link error}).
   */
  push(buf: Buffer, onData: (data: Buffer) => void): number {
    let at = 0;
    while (at < buf.length) {
      switch (this.#state) {
        case 'size':
        case 'trailer': {
          const lf = buf.indexOf(10, at);
          const end = lf === -1 ? buf.length : lf + 1;
          this.#line += buf.toString('latin1', at, end);
          at = end;
          if (this.#line.length > 1024) return this.#fail('chunk line too long');
          if (lf === -1) continue;
          if (!this.#line.endsWith('\r\n') || this.#line.indexOf('\r') !== this.#line.length - 2) return this.#fail('bare CR or LF');
          const line = this.#line.slice(0, -2);
          this.#line = '';
          if (this.#state === 'size') {
            const semi = line.indexOf(';');
            const size = semi === -1 ? line : line.slice(0, semi);
            if (!/^[0-9a-fA-F]{1,12}$/.test(size)) return this.#fail('invalid chunk size');
            if (semi !== -1 && (hasInvalidValueByte(line) || !CHUNK_EXTENSIONS.test(line.slice(semi))))
              return this.#fail('invalid chunk extension');
            this.#remaining = Number.parseInt(size, 16);
            this.#state = this.#remaining === 0 ? 'trailer' : 'data';
          } else if (line === '') {
            this.#state = 'done';
            return at;
          } else return this.#fail('trailer fields are not accepted');
          break;
        }
        case 'data': {
          const take = Math.min(this.#remaining, buf.length - at);
          onData(buf.subarray(at, at + take));
          at += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#state = 'data-crlf';
          break;
        }
        case 'data-crlf': {
          // The CRLF after a chunk's data may arrive one byte at a time.
          this.#line += String.fromCharCode(buf[at] as number);
          at += 1;
          if (this.#line === '\r') break;
          if (this.#line !== '\r\n') return this.#fail('chunk data not followed by CRLF');
          this.#line = '';
          this.#state = 'size';
          break;
        }
        default:
          return this.#state === 'done' ? 0 : -1;
      }
    }
    return at;
  }

  #fail(reason: string): number {
    this.#state = 'error';
    this.error = reason;
    return -1;
  }
}
