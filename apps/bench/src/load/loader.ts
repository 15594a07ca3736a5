/** One measured load run: closed loop, `connections` clients each sending back-to-back over keep-alive. */
export interface LoadSpec {
  /** Full URL (base URL of the target plus path). */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** POST body size in bytes (the body is that many `x`). */
  readonly bodyBytes?: number;
  readonly connections: number;
  /** Timed run, seconds. Exactly one of `durationSec` / `requests`. */
  readonly durationSec?: number;
  /** Counted run: stop after this many responses (bounded by `timeoutSec` overall). */
  readonly requests?: number;
  /** Per-request timeout, and the bound of a counted run, seconds. */
  readonly timeoutSec: number;
}

/** What a load run measured. Latencies are in milliseconds with microsecond resolution. */
export interface LoadResult {
  /** Responses received (any status). */
  readonly requests: number;
  readonly durationSec: number;
  readonly requestsPerSec: number;
  /** Response bytes per second (headers included for wrk, body only for autocannon). */
  readonly bytesPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /** Responses with a status ≥ 400 (wrk) / not 2xx (autocannon). */
  readonly badStatus: number;
}

/** A load generator. */
export interface Loader {
  readonly name: 'wrk' | 'autocannon';
  readonly version: string;
  run(spec: LoadSpec): Promise<LoadResult>;
}

/** The value at percentile `p` (0–100) of ascending `sorted` (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
