import { describe, expect, it } from 'vitest';
import type { Loader, LoadResult, LoadSpec } from '../src/load/loader.js';
import { resolveBenchOptions } from '../src/options.js';
import type { CellContext } from '../src/scenarios/cell.js';
import { LOAD_SCENARIOS } from '../src/scenarios/load-scenarios.js';
import type { Target, TargetContext } from '../src/targets/target.js';

// The warm-up is split into load-generator runs, each a new run (so new connections), before the measured one.

const RESULT: LoadResult = {
  requests: 100,
  durationSec: 1,
  requestsPerSec: 100,
  bytesPerSec: 1,
  p50Ms: 1,
  p99Ms: 2,
  maxMs: 3,
  errors: 0,
  badStatus: 0,
};
const NO_STATS = { handshakes: 0, connections: 0, requests: 0, rejected: 0 };

function cell(options: Parameters<typeof resolveBenchOptions>[0]): { context: CellContext; runs: LoadSpec[] } {
  const runs: LoadSpec[] = [];
  const loader: Loader = {
    name: 'wrk',
    version: 'test',
    run: async (spec) => {
      runs.push(spec);
      return RESULT;
    },
  };
  const targetContext = { upstream: { stats: async () => ({ tls: NO_STATS, plain: NO_STATS }) } } as unknown as TargetContext;
  return { context: { options: resolveBenchOptions({ install: false, ...options }), targetContext, loader }, runs };
}

const target = {
  name: 'nginx',
  start: async () => ({
    url: 'http://127.0.0.1:1',
    pid: undefined,
    listenMs: undefined,
    spawnedAt: undefined,
    headers: {},
    stop: async () => {},
  }),
} as unknown as Target;

const c1 = LOAD_SCENARIOS.find((s) => s.name === 'get-c1');

describe('warm-up runs', () => {
  it('runs one warm-up of --warmup seconds by default, then the measured run', async () => {
    const { context, runs } = cell({ warmup: 1, duration: 5 });
    await c1?.run(context, target);
    expect(runs.map((r) => [r.durationSec, r.connections])).toEqual([
      [1, 1],
      [5, 1],
    ]);
  });

  it('splits the warm-up seconds over --warmup-runs separate runs', async () => {
    const { context, runs } = cell({ warmup: 1, warmupRuns: 2, duration: 5 });
    await c1?.run(context, target);
    expect(runs.map((r) => r.durationSec)).toEqual([0.5, 0.5, 5]);
  });

  it('refuses a --warmup-runs that is not a whole number ≥ 1, naming the flag', () => {
    for (const bad of [0, 1.5, Number.NaN])
      expect(() => resolveBenchOptions({ warmupRuns: bad })).toThrowError(/--warmup-runs must be a whole number ≥ 1/);
  });
});
