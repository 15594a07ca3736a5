/**
 * The proxy's one timer. Every deadline of the request path (headers, whole
 * request, response head, idle bodies) is a timestamp checked on a coarse
 * tick, instead of a timer armed per request and re-armed on every read and
 * write of every socket: on the hot path, setting a deadline is one
 * assignment. Resolution is one tick (100 ms), well inside every limit.
 * @internal
 */
export interface ProxyClock {
  /** Milliseconds ({@link monotonicMs}), as of the latest tick or explicit read. */
  now: number;
}

/**
 * Monotonic milliseconds since the process started (libuv's high-resolution
 * clock). Not `performance.now()`: the `performance` global loads Node's
 * whole perf_hooks on first use, which the idle proxy would carry for one
 * clock (idle RSS, BENCHMARKS.md, issue 13).
 * @internal
 */
export function monotonicMs(): number {
  return process.uptime() * 1000;
}

/** The tick interval, ms. */
export const TICK_MS = 100;

/** Start ticking: `onTick` runs every {@link TICK_MS} with the clock updated; returns the stop function. @internal */
export function startClock(clock: ProxyClock, onTick: (now: number) => void): () => void {
  const timer = setInterval(() => {
    clock.now = monotonicMs();
    onTick(clock.now);
  }, TICK_MS);
  // The clock alone never keeps the process alive: the server's handle does.
  timer.unref();
  return () => clearInterval(timer);
}
