import type { Socket } from 'node:net';
import { createUpstreamDialer, type UpstreamDialer, type UpstreamOnRead } from '../connection/upstream-dialer.js';
import type { ResolvedProxyOptions } from './proxy-options.js';
import type { RelayBuffers } from './relay-buffers.js';

/** How long an idle pooled connection is kept when the vault gives no `Keep-Alive` hint. */
const POOL_IDLE_MS = 30_000;
/** How often idle connections are checked for retirement. */
const SWEEP_MS = 250;
/** Retire a connection this long before the vault's announced keep-alive timeout runs out. */
const HINT_MARGIN_MS = 1_000;
/**
 * A request that cannot be replayed (it has a body, or its method is not
 * idempotent) only goes on a pooled connection idle for less than this. An
 * older one may have been dropped by the vault or a middlebox without the
 * FIN having reached us; a GET there is retried once, a POST could not be.
 */
const REPLAY_UNSAFE_MAX_IDLE_MS = 2_000;

/**
 * What an exchange sees of the connection it holds. Events of the socket go
 * to the holder while it holds it; an idle connection that talks is broken.
 * @internal
 */
export interface ConnectionHolder {
  /** Bytes from the vault, valid only during this call (they live in the shared read buffer): copy what you keep. */
  onData(chunk: Buffer): void;
  /** The connection ended or broke while held. */
  onClose(error: NodeJS.ErrnoException | undefined): void;
}

/** One kept-alive connection to the vault. @internal */
export class UpstreamConnection {
  readonly socket: Socket;
  /** Whether it already carried a request (a failure on it may mean it had gone stale). */
  reused = false;
  holder: ConnectionHolder | undefined;
  #freedAt = 0;
  /** When the pool retires it if it is still idle (epoch ms). */
  retireAt = Number.POSITIVE_INFINITY;
  #dead = false;
  /** Whether the socket keeps the process alive (in use, or idle since less than a sweep). */
  #referenced = true;

  constructor(
    dial: (onread: UpstreamOnRead) => Socket,
    buffers: RelayBuffers,
    private readonly pool: UpstreamPool,
  ) {
    const socket = dial({
      buffer: buffers.readBuffer,
      callback: (bytes) => {
        if (this.holder) this.holder.onData(buffers.readBuffer.subarray(0, bytes));
        // Bytes nobody asked for: the stream is out of step; never reuse it.
        else this.destroy();
        return true;
      },
    });
    this.socket = socket;
    socket.setNoDelay(true);
    const closed = (error?: NodeJS.ErrnoException): void => {
      if (this.#dead) return;
      this.#dead = true;
      this.pool.forget(this);
      const holder = this.holder;
      this.holder = undefined;
      holder?.onClose(error);
      if (!socket.destroyed) socket.destroy();
    };
    socket.on('error', closed);
    socket.on('end', () => closed());
    socket.on('close', () => closed());
  }

  /** Whether it can still carry a request. */
  get usable(): boolean {
    return !this.#dead && !this.socket.destroyed && this.socket.writable;
  }

  /** Milliseconds since it was last given back to the pool. */
  idleFor(now: number): number {
    return now - this.#freedAt;
  }

  /** Park it in the pool, to be retired once idle for `idleMs` (the pool's sweep closes it). @internal */
  park(idleMs: number): void {
    this.holder = undefined;
    this.#freedAt = Date.now();
    this.retireAt = this.#freedAt + idleMs;
  }

  /**
   * Stop it from keeping the process alive while it idles (the sweep does this for connections still idle
   * at its tick: under load a connection is back in use long before, and `ref`/`unref` on a TLS socket are
   * native calls that cost per request).
   * @internal
   */
  unrefIdle(): void {
    if (this.#referenced) {
      this.#referenced = false;
      this.socket.unref();
    }
  }

  /** Take it out of the pool for an exchange. @internal */
  take(holder: ConnectionHolder): void {
    this.retireAt = Number.POSITIVE_INFINITY;
    if (!this.#referenced) {
      this.#referenced = true;
      this.socket.ref();
    }
    this.holder = holder;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A request waiting for a connection. */
interface Waiter {
  readonly replayable: boolean;
  readonly holder: ConnectionHolder;
  readonly give: (conn: UpstreamConnection) => void;
}

/**
 * The connections to the vault: at most `poolSize`, the most recently used
 * reused first, every one opened by the shared dialer (connect-to, SNI, the
 * extra CA, the certificate check, TLS session resumption). Idle ones are
 * retired a second before the vault's `Keep-Alive: timeout=` would close
 * them, or after 30 s without a hint.
 * @internal
 */
export class UpstreamPool {
  readonly dialer: UpstreamDialer;
  readonly #idle: UpstreamConnection[] = [];
  readonly #all = new Set<UpstreamConnection>();
  readonly #waiting: Waiter[] = [];
  readonly #size: number;
  #sweeper: NodeJS.Timeout | undefined;
  /** Connections opened so far (each a TLS handshake, full or resumed). */
  opened = 0;

  /** The read and write buffers response bytes move through (shared by every connection). */
  readonly buffers: RelayBuffers;

  constructor(options: ResolvedProxyOptions, buffers: RelayBuffers) {
    this.dialer = createUpstreamDialer(options.connection);
    this.#size = options.poolSize;
    this.buffers = buffers;
  }

  /** Where connections go, `host:port`, for messages. */
  get dialAddress(): string {
    return this.dialer.dialAddress;
  }

  /** Connections open now, and of those idle in the pool. */
  get counts(): { readonly open: number; readonly idle: number } {
    return { open: this.#all.size, idle: this.#idle.length };
  }

  /**
   * Get a connection for `holder`: an idle one (never one idle long enough
   * to be stale for a replay-unsafe request), else a new one while under the
   * pool size, else the next one released. Returns a function that cancels
   * the wait.
   */
  acquire(replayable: boolean, holder: ConnectionHolder, give: (conn: UpstreamConnection) => void): () => void {
    const conn = this.#takeIdle(replayable) ?? this.#dial();
    if (conn) {
      conn.take(holder);
      give(conn);
      return () => {};
    }
    const waiter: Waiter = { replayable, holder, give };
    this.#waiting.push(waiter);
    return () => {
      const i = this.#waiting.indexOf(waiter);
      if (i !== -1) this.#waiting.splice(i, 1);
    };
  }

  /** Give a connection back after a complete exchange; `keepAliveMs` is the vault's hint, when it gave one. */
  release(conn: UpstreamConnection, keepAliveMs: number | undefined): void {
    conn.reused = true;
    if (!conn.usable) return;
    const waiter = this.#waiting.shift();
    if (waiter) {
      conn.take(waiter.holder);
      waiter.give(conn);
      return;
    }
    const idleMs = keepAliveMs === undefined ? POOL_IDLE_MS : Math.min(POOL_IDLE_MS, keepAliveMs - HINT_MARGIN_MS);
    if (idleMs <= 0) {
      conn.destroy();
      return;
    }
    conn.park(idleMs);
    this.#idle.push(conn);
    this.#sweepSoon();
  }

  /**
   * Retire idle connections past their time, checked on one coarse timer
   * rather than a timer per connection per request; the ones still idle stop
   * keeping the process alive.
   */
  #sweepSoon(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => {
      const now = Date.now();
      for (const conn of [...this.#idle]) {
        if (conn.retireAt <= now) conn.destroy();
        else conn.unrefIdle();
      }
      if (this.#idle.length === 0) {
        clearInterval(this.#sweeper);
        this.#sweeper = undefined;
      }
    }, SWEEP_MS);
    this.#sweeper.unref();
  }

  /** Drop a connection from the books (it closed). @internal */
  forget(conn: UpstreamConnection): void {
    this.#all.delete(conn);
    const i = this.#idle.indexOf(conn);
    if (i !== -1) this.#idle.splice(i, 1);
    // A slot freed: the next waiter gets a new connection.
    const waiter = this.#waiting.length > 0 ? this.#waiting[0] : undefined;
    if (waiter && this.#all.size < this.#size) {
      this.#waiting.shift();
      const fresh = this.#dial() as UpstreamConnection;
      fresh.take(waiter.holder);
      waiter.give(fresh);
    }
  }

  /** Close every connection; waiting requests are left to their own timeouts. */
  destroy(): void {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    for (const conn of [...this.#all]) conn.destroy();
  }

  #takeIdle(replayable: boolean): UpstreamConnection | undefined {
    const now = Date.now();
    for (;;) {
      const conn = this.#idle.pop();
      if (!conn) return undefined;
      if (!conn.usable) continue;
      if (!replayable && conn.idleFor(now) > REPLAY_UNSAFE_MAX_IDLE_MS) {
        // Too long idle to trust with a request that cannot be sent twice; its slot goes to a new connection.
        this.#all.delete(conn);
        conn.destroy();
        continue;
      }
      return conn;
    }
  }

  #dial(): UpstreamConnection | undefined {
    if (this.#all.size >= this.#size) return undefined;
    const conn = new UpstreamConnection((onread) => this.dialer.connect(onread), this.buffers, this);
    this.#all.add(conn);
    this.opened += 1;
    return conn;
  }
}
