import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { type Loader, type LoadResult, type LoadSpec, percentile } from './loader.js';

const version = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;

/**
 * autocannon in this process (pinned with the bench to the load generator's
 * cores). Its own latency histogram has whole-millisecond buckets, too coarse
 * for loopback, so latencies are taken from each `response` event instead.
 */
export function autocannonLoader(): Loader {
  return {
    name: 'autocannon',
    version,
    run(spec: LoadSpec): Promise<LoadResult> {
      const samples: number[] = [];
      return new Promise((resolve, reject) => {
        const instance = autocannon(
          {
            url: spec.url,
            method: spec.method,
            headers: { ...spec.headers },
            ...(spec.bodyBytes === undefined ? {} : { body: Buffer.alloc(spec.bodyBytes, 'x') }),
            connections: spec.connections,
            pipelining: 1,
            // autocannon notices the end of a counted run on its sampling tick (1 s by default).
            sampleInt: 100,
            timeout: spec.timeoutSec,
            ...(spec.requests === undefined ? { duration: spec.durationSec ?? 1 } : { amount: spec.requests }),
          },
          (err, result) => {
            if (err) {
              reject(err);
              return;
            }
            samples.sort((a, b) => a - b);
            const durationSec = result.duration;
            const requests = samples.length + result.non2xx;
            resolve({
              requests,
              durationSec,
              requestsPerSec: durationSec > 0 ? samples.length / durationSec : 0,
              bytesPerSec: durationSec > 0 ? result.throughput.total / durationSec : 0,
              p50Ms: percentile(samples, 50),
              p99Ms: percentile(samples, 99),
              maxMs: samples.length > 0 ? (samples[samples.length - 1] as number) : 0,
              errors: result.errors + result.timeouts,
              badStatus: result.non2xx,
            });
          },
        );
        instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
          if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
        });
        // Bound the run whatever happens to the target.
        const limit = setTimeout(() => instance.stop(), ((spec.durationSec ?? 0) + spec.timeoutSec + 5) * 1000);
        instance.once('done', () => clearTimeout(limit));
      });
    },
  };
}
