import type { LoadSpec } from '../load/loader.js';
import type { ScenarioName } from '../options.js';
import { measureCpu } from '../system/process-cpu.js';
import { sampleRss } from '../system/rss.js';
import type { Target } from '../targets/target.js';
import type { UpstreamStats } from '../upstream/upstream-server.js';
import { SECRET_PATH, UPSTREAM_PATHS } from '../upstream/upstream-server.js';
import type { CellContext, CellMetrics, Scenario } from './cell.js';

/** Requests the upstream refused (missing or wrong injected headers) between two snapshots. */
export function rejectedBetween(before: UpstreamStats, after: UpstreamStats): number {
  return after.tls.rejected - before.tls.rejected + (after.plain.rejected - before.plain.rejected);
}

/** Problems that make a run's figures meaningless. */
export function loadProblems(result: { errors: number; badStatus: number; requests: number }, rejected: number): string[] {
  const problems: string[] = [];
  if (result.requests === 0) problems.push('no response at all');
  if (result.errors > 0) problems.push(`${result.errors} socket errors or timeouts`);
  if (result.badStatus > 0) problems.push(`${result.badStatus} error statuses`);
  if (rejected > 0) problems.push(`${rejected} requests refused upstream for missing/wrong injected headers`);
  return problems;
}

interface LoadShape {
  readonly name: ScenarioName;
  readonly description: string;
  readonly connections: number;
  readonly post: boolean;
}

const SHAPES: readonly LoadShape[] = [
  { name: 'get-c1', description: 'get-secret (≈1 KiB JSON) at concurrency 1: latency', connections: 1, post: false },
  { name: 'get-c16', description: 'get-secret at concurrency 16: throughput', connections: 16, post: false },
  { name: 'get-c128', description: 'get-secret at concurrency 128: throughput under many sessions', connections: 128, post: false },
  { name: 'post', description: 'POST of a 1 MiB body (upstream answers its size) at concurrency 8', connections: 8, post: true },
];

function loadScenario(shape: LoadShape): Scenario {
  return {
    name: shape.name,
    description: shape.description,
    appliesTo: () => true,
    async run(context: CellContext, target: Target) {
      const { options, loader, targetContext } = context;
      const instance = await target.start(targetContext);
      try {
        const spec = (durationSec: number | undefined, requests: number | undefined): LoadSpec => ({
          url: `${instance.url}${shape.post ? UPSTREAM_PATHS.echoSize : SECRET_PATH}`,
          method: shape.post ? 'POST' : 'GET',
          headers: shape.post ? { ...instance.headers, 'content-type': 'application/octet-stream' } : instance.headers,
          ...(shape.post ? { bodyBytes: options.postBytes } : {}),
          connections: shape.connections,
          ...(requests === undefined ? { durationSec } : { requests }),
          timeoutSec: 30,
        });
        // Each warm-up run is a new load-generator run, so new connections (see BenchOptions.warmupRuns).
        if (options.warmup > 0)
          for (let i = 0; i < options.warmupRuns; i++) await loader.run(spec(options.warmup / options.warmupRuns, undefined));
        const rss = instance.pid === undefined ? undefined : sampleRss(instance.pid);
        const before = await targetContext.upstream.stats();
        const cpu = instance.pid === undefined ? undefined : measureCpu(instance.pid);
        // autocannon refuses a counted run with fewer requests than connections.
        const counted = Math.max(options.quickRequests, shape.connections);
        const result = await loader.run(options.quick ? spec(undefined, counted) : spec(options.duration, undefined));
        const cpuPerRequest = cpu?.stop(result.requests);
        const after = await targetContext.upstream.stats();
        const peak = rss?.stop();
        const metrics: CellMetrics = {
          requests: result.requests,
          requestsPerSec: result.requestsPerSec,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          maxMs: result.maxMs,
          handshakes: after.tls.handshakes - before.tls.handshakes,
          ...(peak === undefined ? {} : { peakRssMiB: peak.peakMiB }),
          ...cpuPerRequest,
        };
        return { metrics, problems: loadProblems(result, rejectedBetween(before, after)) };
      } finally {
        await instance.stop();
      }
    },
  };
}

/** The four closed-loop load scenarios. */
export const LOAD_SCENARIOS: readonly Scenario[] = SHAPES.map(loadScenario);
