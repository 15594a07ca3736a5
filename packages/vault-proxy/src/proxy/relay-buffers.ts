/** Size of the read buffer and of each write buffer: a TLS read never hands over more than this. */
const BUFFER_SIZE = 64 * 1024;
/** Free write buffers kept for reuse; more than this are left to the garbage collector. */
const MAX_FREE = 32;

/**
 * The memory the proxy moves response bytes through, reused instead of
 * allocated per read. Every upstream socket reads into one shared buffer
 * (`onread`: the bytes are valid only during the read callback, which is
 * synchronous, so one buffer serves all), and bytes relayed to a client are
 * copied into a write buffer that returns to a free list once the write is
 * flushed. Without this, every TLS read allocates a new ArrayBuffer that V8
 * collects only after tens of MiB of them pile up: streaming 1 GiB peaked
 * ~30 MiB above what the proxy holds (BENCHMARKS.md, issue 13).
 * @internal
 */
export class RelayBuffers {
  /** What every upstream socket reads into; copy anything kept past the read callback. */
  readonly readBuffer: Buffer = Buffer.allocUnsafeSlow(BUFFER_SIZE);
  readonly #free: Buffer[] = [];

  /**
   * A stable copy of `data` for a socket write, and the function that gives
   * its memory back (the write's callback). A copy of more than one buffer's
   * size, which a read never produces, is a plain allocation.
   */
  copyForWrite(data: Buffer): [view: Buffer, done: () => void] {
    if (data.length > BUFFER_SIZE) return [Buffer.from(data), noop];
    const buffer = this.#free.pop() ?? Buffer.allocUnsafeSlow(BUFFER_SIZE);
    data.copy(buffer, 0, 0, data.length);
    return [buffer.subarray(0, data.length), () => this.#give(buffer)];
  }

  #give(buffer: Buffer): void {
    if (this.#free.length < MAX_FREE) this.#free.push(buffer);
  }
}

function noop(): void {}
