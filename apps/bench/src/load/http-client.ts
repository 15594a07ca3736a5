import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** The outcome of one request read to the end. */
export interface Exchange {
  readonly status: number;
  /** Body bytes received. */
  readonly bytes: number;
  /** Seconds from sending to the last body byte. */
  readonly seconds: number;
}

/** One GET on a fresh connection, body drained and counted; fails after `timeoutMs`. */
export function getOnce(url: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: 'GET', headers: { ...headers }, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, bytes, seconds: (performance.now() - started) / 1000 });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

/**
 * Send GETs every 2 ms until one answers 200; resolves with the
 * `performance.now()` time it completed. Rejects after `timeoutMs`.
 */
export async function firstOk(url: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const exchange = await getOnce(url, headers, Math.max(1, deadline - performance.now()));
      if (exchange.status === 200) return performance.now();
      last = `status ${exchange.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(2);
  }
  throw new Error(`no 200 within ${timeoutMs} ms (last: ${last})`);
}
