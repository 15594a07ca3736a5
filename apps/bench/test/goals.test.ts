import { describe, expect, it } from 'vitest';
import type { TargetName } from '../src/options.js';
import { checkGoals } from '../src/report/goals.js';
import type { GoalCheck, RowMetrics, ScenarioReport, TargetReport } from '../src/report/report-types.js';
import { summarizeScenario } from '../src/report/summarize.js';
import type { CellResult } from '../src/scenarios/cell.js';

type Figures = Partial<Record<TargetName, RowMetrics>>;

/** A scenario as the bench folds it, from one pass per target with these figures. */
function scenario(name: ScenarioReport['name'], figures: Figures): ScenarioReport {
  const names = Object.keys(figures) as TargetName[];
  const targets: TargetReport[] = names.map((t) => ({ name: t, status: 'ok' }));
  const cells: CellResult[] = names.map((t) => ({ scenario: name, target: t, repetition: 1, status: 'ok', metrics: figures[t] ?? {} }));
  return { name, description: '', rows: summarizeScenario(name, targets, cells, () => true) };
}

const SETTINGS = { poolSize: 64, streamBytes: 1024 ** 3 };

function byId(goals: readonly GoalCheck[], id: string): GoalCheck {
  const goal = goals.find((g) => g.id === id);
  if (!goal) throw new Error(`no goal ${id}`);
  return goal;
}

/** Figures where the proxy sits exactly on every threshold and the candidate just misses each. */
const FIGURES: readonly [ScenarioReport['name'], Figures][] = [
  ['get-c1', { proxy: { p99Ms: 1.5 }, candidate: { p99Ms: 1.51 }, nginx: { p99Ms: 1 } }],
  ['get-c16', { proxy: { requestsPerSec: 8_000 }, candidate: { requestsPerSec: 7_990 }, nginx: { requestsPerSec: 10_000 } }],
  [
    'get-c128',
    {
      proxy: { requestsPerSec: 10_000, p99Ms: 40 },
      candidate: { requestsPerSec: 9_990, p99Ms: 40.1 },
      nginx: { requestsPerSec: 10_000, p99Ms: 40 },
    },
  ],
  ['stream', { proxy: { peakRssMiB: 64 }, candidate: { peakRssMiB: 64.1 }, nginx: { peakRssMiB: 19 } }],
  [
    'cold-start',
    { proxy: { listenMs: 150, idleRssMiB: 48 }, candidate: { listenMs: 150.1, idleRssMiB: 48.1 }, nginx: { listenMs: 10, idleRssMiB: 15 } },
  ],
  ['handshakes', { proxy: { handshakes: 64 }, candidate: { handshakes: 65 }, nginx: { handshakes: 512 } }],
];

/** The run as the bench folds it, leaving out the `without` targets (as if not installed or not asked for). */
function fold(without: readonly TargetName[] = []): ScenarioReport[] {
  return FIGURES.map(([name, figures]) =>
    scenario(name, Object.fromEntries(Object.entries(figures).filter(([t]) => !without.includes(t as TargetName)))),
  );
}

const run = fold();

describe('checkGoals (issue 13 targets)', () => {
  const goals = checkGoals(run, SETTINGS);

  it('lists the eight targets in the issue’s order, each with a stable id', () => {
    expect(goals.map((g) => g.id)).toEqual([
      'get-c16-rps',
      'get-c128-rps',
      'get-c128-p99',
      'get-c1-p99',
      'stream-peak-rss',
      'idle-rss',
      'cold-start-listen',
      'upstream-handshakes',
    ]);
  });

  it('meets a target exactly at its threshold and misses it just beyond, for proxy and candidate alike', () => {
    for (const goal of goals) {
      expect(goal.met, `${goal.id} proxy ${goal.value}`).toBe(true);
      expect(goal.candidate?.met, `${goal.id} candidate ${goal.candidate?.value}`).toBe(false);
    }
  });

  it('reads throughput and c128 p99 as ratios to nginx, and c1 p99 as milliseconds over nginx', () => {
    expect(byId(goals, 'get-c16-rps')).toMatchObject({ value: 0.8, unit: '× nginx' });
    expect(byId(goals, 'get-c128-rps').candidate?.value).toBeCloseTo(0.999);
    expect(byId(goals, 'get-c128-p99')).toMatchObject({ value: 1, unit: '× nginx' });
    expect(byId(goals, 'get-c1-p99')).toMatchObject({ value: 0.5, unit: 'ms over nginx' });
    expect(byId(goals, 'get-c1-p99').candidate?.value).toBeCloseTo(0.51);
  });

  it('takes absolute figures for memory, cold start and handshakes', () => {
    expect(byId(goals, 'stream-peak-rss')).toMatchObject({ goal: 'peak RSS streaming 1 GiB ≤ 64 MiB', value: 64 });
    expect(byId(goals, 'idle-rss')).toMatchObject({ value: 48, unit: 'MiB' });
    expect(byId(goals, 'cold-start-listen')).toMatchObject({ value: 150, unit: 'ms' });
    expect(byId(goals, 'upstream-handshakes')).toMatchObject({ goal: 'upstream TLS handshakes ≤ pool size (64)', value: 64 });
  });

  it('says what was streamed when it was not 1 GiB, and takes the pool size it was given', () => {
    const quick = checkGoals(run, { poolSize: 8, streamBytes: 4 * 1024 * 1024 });
    expect(byId(quick, 'stream-peak-rss').goal).toBe('peak RSS streaming 4 MiB ≤ 64 MiB');
    expect(byId(quick, 'upstream-handshakes')).toMatchObject({ goal: 'upstream TLS handshakes ≤ pool size (8)', met: false });
  });

  it('leaves the nginx-relative targets unmeasured without nginx, never comparing with a made-up 1', () => {
    const again = checkGoals(fold(['nginx']), SETTINGS);
    for (const id of ['get-c16-rps', 'get-c128-rps', 'get-c128-p99', 'get-c1-p99']) {
      expect(byId(again, id)).toMatchObject({ value: null, met: null });
    }
    expect(byId(again, 'idle-rss').met).toBe(true);
  });

  it('notes a cold start that ran through the bench runner instead of vault-proxy start', () => {
    const viaRunner = checkGoals(run, { ...SETTINGS, coldStartViaCli: { proxy: true, candidate: false } });
    for (const id of ['cold-start-listen', 'idle-rss']) {
      expect(byId(viaRunner, id).note).toBeUndefined();
      expect(byId(viaRunner, id).candidate?.note).toBe('through the bench runner, not vault-proxy start');
    }
    expect(byId(viaRunner, 'stream-peak-rss').candidate?.note).toBeUndefined();
  });

  it('has no candidate column when no candidate was measured', () => {
    const proxyOnly = checkGoals(fold(['candidate']), SETTINGS);
    expect(proxyOnly.every((g) => g.candidate === undefined)).toBe(true);
  });
});

describe('checkGoals: passes that meet a target on their own', () => {
  /** A scenario folded from several passes: each target's figure per pass, `undefined` for a failed pass. */
  function passes(name: ScenarioReport['name'], figures: Partial<Record<TargetName, (RowMetrics | undefined)[]>>): ScenarioReport {
    const names = Object.keys(figures) as TargetName[];
    const targets: TargetReport[] = names.map((t) => ({ name: t, status: 'ok' }));
    const cells: CellResult[] = names.flatMap((t) =>
      (figures[t] ?? []).map((metrics, i) =>
        metrics === undefined
          ? { scenario: name, target: t, repetition: i + 1, status: 'failed' as const, reason: 'crashed', metrics: {} }
          : { scenario: name, target: t, repetition: i + 1, status: 'ok' as const, metrics },
      ),
    );
    return { name, description: '', rows: summarizeScenario(name, targets, cells, () => true) };
  }

  it('pairs each pass with nginx’s pass of the same number, not with nginx’s median', () => {
    // Medians: proxy 8,000, nginx 10,000 → 0.8, met. Pass by pass: 0.40, 0.80, 1.60 → two of three.
    const run = [
      passes('get-c16', {
        proxy: [{ requestsPerSec: 8_000 }, { requestsPerSec: 8_000 }, { requestsPerSec: 8_000 }],
        nginx: [{ requestsPerSec: 20_000 }, { requestsPerSec: 10_000 }, { requestsPerSec: 5_000 }],
      }),
    ];
    const goal = byId(checkGoals(run, SETTINGS), 'get-c16-rps');
    expect(goal).toMatchObject({ value: 0.8, met: true, passes: { met: 2, of: 3 } });
  });

  it('reads c1 p99 pass by pass as milliseconds over nginx’s pass', () => {
    const run = [
      passes('get-c1', {
        proxy: [{ p99Ms: 1.2 }, { p99Ms: 3.0 }, { p99Ms: 0.9 }],
        nginx: [{ p99Ms: 1.0 }, { p99Ms: 1.0 }, { p99Ms: 0.2 }],
      }),
    ];
    // Over nginx per pass: +0.2 (met), +2.0, +0.7.
    expect(byId(checkGoals(run, SETTINGS), 'get-c1-p99').passes).toEqual({ met: 1, of: 3 });
  });

  it('leaves out a pass that failed on either side, and counts the target’s own figures without nginx', () => {
    const run = [
      passes('get-c128', {
        proxy: [{ requestsPerSec: 11_000, p99Ms: 10 }, undefined, { requestsPerSec: 9_000, p99Ms: 50 }],
        nginx: [{ requestsPerSec: 10_000, p99Ms: 40 }, { requestsPerSec: 10_000, p99Ms: 40 }, undefined],
      }),
      passes('stream', { proxy: [{ peakRssMiB: 58 }, { peakRssMiB: 65 }, { peakRssMiB: 60 }] }),
    ];
    const goals = checkGoals(run, SETTINGS);
    expect(byId(goals, 'get-c128-rps').passes).toEqual({ met: 1, of: 1 });
    expect(byId(goals, 'get-c128-p99').passes).toEqual({ met: 1, of: 1 });
    expect(byId(goals, 'stream-peak-rss')).toMatchObject({ met: true, passes: { met: 2, of: 3 } });
  });

  it('has no count where no pass could be read, and none from a zero of nginx’s', () => {
    const run = [
      passes('get-c16', { proxy: [{ requestsPerSec: 8_000 }], nginx: [{ requestsPerSec: 0 }] }),
      passes('get-c128', { proxy: [{ requestsPerSec: 8_000 }] }),
    ];
    const goals = checkGoals(run, SETTINGS);
    expect(byId(goals, 'get-c16-rps').passes).toBeUndefined();
    expect(byId(goals, 'get-c128-rps')).toMatchObject({ value: null, met: null });
    expect(byId(goals, 'get-c128-rps').passes).toBeUndefined();
  });
});
