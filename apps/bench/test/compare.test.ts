import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TargetName } from '../src/options.js';
import { type ComparedRun, compareRuns } from '../src/report/compare.js';
import { changesOf, figureChange } from '../src/report/figure-change.js';
import { loadPreviousReport, parsePreviousRun } from '../src/report/previous-report.js';
import { renderComparison } from '../src/report/render-comparison.js';
import type { BenchReport, RowMetrics, ScenarioReport, TargetReport } from '../src/report/report-types.js';
import { summarizeScenario } from '../src/report/summarize.js';
import type { CellResult } from '../src/scenarios/cell.js';

const scratch = mkdtempSync(join(tmpdir(), 'bench-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scenario(
  name: ScenarioReport['name'],
  figures: Partial<Record<TargetName, RowMetrics>>,
  missing: TargetName[] = [],
): ScenarioReport {
  const names = Object.keys(figures) as TargetName[];
  const targets: TargetReport[] = [
    ...names.map((t): TargetReport => ({ name: t, status: 'ok' })),
    ...missing.map((t): TargetReport => ({ name: t, status: 'missing', reason: 'not installed' })),
  ];
  const cells: CellResult[] = names.map((t) => ({ scenario: name, target: t, repetition: 1, status: 'ok', metrics: figures[t] ?? {} }));
  return { name, description: '', rows: summarizeScenario(name, targets, cells, () => true) };
}

function run(scenarios: ScenarioReport[], settings: Partial<BenchReport['settings']> = {}): ComparedRun {
  return {
    settings: {
      quick: false,
      durationSec: 5,
      warmupSec: 1,
      warmupRuns: 1,
      repetitions: 3,
      streamBytes: 1,
      postBytes: 1,
      handshakeRequests: 1,
      poolSize: 64,
      accessLog: true,
      direct: '',
      proxy: '',
      proxyColdStart: '',
      ...settings,
    },
    machine: { cpuModel: 'x', cores: 2, memoryGiB: 1, os: 'x', kernel: 'x', node: 'v20.0.0', loadAverage: { start: 0, end: 0 } },
    loader: { name: 'wrk', version: '4' },
    cpuPlan: { pinned: true, upstream: [1], target: [0], loader: [0], description: '' },
    scenarios,
  };
}

/** The run as its `--json` file reads back (what `--compare` is given). */
function asPrevious(report: ComparedRun, extra: Record<string, unknown> = {}) {
  const data = JSON.parse(
    JSON.stringify({ schema: 'raxx-vault-proxy-bench/2', startedAt: '2026-01-01T00:00:00.000Z', ...report, ...extra }),
  );
  return { file: 'before.json', run: parsePreviousRun(data, 'before.json') };
}

describe('figureChange', () => {
  it('reads each figure in its own direction: more req/s is better, more milliseconds or MiB is worse', () => {
    expect(figureChange('requestsPerSec', 1_000, 1_200)).toEqual({ before: 1_000, after: 1_200, ratio: 1.2, verdict: 'better' });
    expect(figureChange('mibPerSec', 200, 100).verdict).toBe('worse');
    expect(figureChange('p99Ms', 2, 1).verdict).toBe('better');
    expect(figureChange('idleRssMiB', 40, 50).verdict).toBe('worse');
    expect(figureChange('listenMs', 100, 150).verdict).toBe('worse');
  });

  it('calls a change within ±5 % the same, and just beyond it not', () => {
    expect(figureChange('requestsPerSec', 1_000, 1_050).verdict).toBe('same');
    expect(figureChange('requestsPerSec', 1_000, 950).verdict).toBe('same');
    expect(figureChange('requestsPerSec', 1_000, 1_051).verdict).toBe('better');
    expect(figureChange('p50Ms', 1, 0.94).verdict).toBe('better');
  });

  it('gives no ratio against zero or a negative figure, yet still says which way it went', () => {
    expect(figureChange('addedP99Ms', -0.4, 0.2)).toEqual({ before: -0.4, after: 0.2, ratio: null, verdict: 'worse' });
    expect(figureChange('handshakes', 0, 3)).toMatchObject({ ratio: null, verdict: 'worse' });
    expect(figureChange('handshakes', 0, 0)).toMatchObject({ ratio: null, verdict: 'same' });
  });

  it('gives a plain count (requests sent) a ratio but no verdict', () => {
    expect(figureChange('requests', 200, 400)).toEqual({ before: 200, after: 400, ratio: 2, verdict: null });
  });

  it('compares only the figures both rows have', () => {
    expect(Object.keys(changesOf({ p50Ms: 1, p99Ms: 2 }, { p99Ms: 3, idleRssMiB: 40 }))).toEqual(['p99Ms']);
  });
});

describe('compareRuns (--compare)', () => {
  const before = run([
    scenario('get-c16', {
      direct: { requestsPerSec: 20_000, p99Ms: 1 },
      proxy: { requestsPerSec: 5_000, p99Ms: 4 },
      nginx: { requestsPerSec: 10_000, p99Ms: 2 },
    }),
    scenario('stream', { direct: { mibPerSec: 300 }, proxy: { mibPerSec: 100 } }, ['nginx']),
  ]);
  const now = run(
    [
      scenario('get-c16', {
        direct: { requestsPerSec: 20_000, p99Ms: 1 },
        proxy: { requestsPerSec: 8_000, p99Ms: 3 },
        candidate: { requestsPerSec: 9_000, p99Ms: 2 },
        nginx: { requestsPerSec: 10_000, p99Ms: 2 },
      }),
      scenario('stream', { direct: { mibPerSec: 300 }, proxy: { mibPerSec: 150 }, nginx: { mibPerSec: 200 } }),
      scenario('cold-start', { proxy: { listenMs: 120 } }),
    ],
    { durationSec: 3 },
  );
  const comparison = compareRuns(now, asPrevious(before));
  const rows = (name: string) => comparison.scenarios.find((s) => s.name === name)?.rows ?? [];
  const row = (name: string, target: string) => rows(name).find((r) => r.target === target);

  it('gives every figure of every target old → new with the ratio', () => {
    const proxy = row('get-c16', 'proxy');
    expect(proxy?.status).toBe('compared');
    expect(proxy?.figures.requestsPerSec).toEqual({ before: 5_000, after: 8_000, ratio: 1.6, verdict: 'better' });
    expect(proxy?.figures.p99Ms).toEqual({ before: 4, after: 3, ratio: 0.75, verdict: 'better' });
    // Derived figures compare too: the proxy's latency added over direct went from 3 to 2 ms.
    expect(proxy?.figures.addedP99Ms).toMatchObject({ before: 3, after: 2 });
    expect(row('get-c16', 'direct')?.figures.requestsPerSec?.verdict).toBe('same');
  });

  it('says which side has no figures instead of inventing them', () => {
    expect(row('get-c16', 'candidate')).toEqual({
      target: 'candidate',
      status: 'no previous figures',
      reason: 'not in the previous run',
      figures: {},
    });
    expect(row('stream', 'nginx')).toMatchObject({ status: 'no previous figures', reason: 'missing: not installed', figures: {} });
    expect(row('cold-start', 'proxy')).toMatchObject({ status: 'no previous figures', reason: 'not in the previous run' });
  });

  it('names the settings that differ between the runs', () => {
    expect(comparison.previous).toEqual({ file: 'before.json', schema: 'raxx-vault-proxy-bench/2', startedAt: '2026-01-01T00:00:00.000Z' });
    expect(comparison.differences).toEqual(['durationSec 5 → 3']);
  });

  it('finds nothing changed against itself', () => {
    const self = compareRuns(now, asPrevious(now));
    const changes = self.scenarios.flatMap((s) => s.rows.flatMap((r) => Object.values(r.figures)));
    expect(changes.length).toBeGreaterThan(5);
    expect(changes.every((c) => c.ratio === 1 && c.verdict === 'same')).toBe(true);
    expect(self.differences).toEqual([]);
  });

  it('reads a schema-1 report, which had no candidate and no idle RSS', () => {
    const old = compareRuns(now, asPrevious(before, { schema: 'raxx-vault-proxy-bench/1' }));
    expect(old.previous.schema).toBe('raxx-vault-proxy-bench/1');
    expect(old.scenarios.find((s) => s.name === 'get-c16')?.rows.find((r) => r.target === 'proxy')?.status).toBe('compared');
  });

  it('prints a table per scenario with before → now (×ratio verdict)', () => {
    const text = renderComparison(comparison);
    expect(text).toContain('### Change against the previous run');
    expect(text).toContain('Settings that differ: durationSec 5 → 3.');
    expect(text).toContain('#### get-c16');
    expect(text).toMatch(/^\| proxy \| 5,000 → 8,000 \(×1\.60 better\) \| .* \| 4\.00 → 3\.00 \(×0\.75 better\) \|/m);
    expect(text).toContain('| candidate (no previous figures: not in the previous run) | – |');
  });
});

describe('loadPreviousReport', () => {
  function file(name: string, content: string): string {
    const path = join(scratch, name);
    writeFileSync(path, content);
    return path;
  }

  it('reads a report written with --json', () => {
    const path = file('ok.json', JSON.stringify({ schema: 'raxx-vault-proxy-bench/2', startedAt: 'then', scenarios: [] }));
    expect(loadPreviousReport(path).run).toMatchObject({ schema: 'raxx-vault-proxy-bench/2', startedAt: 'then', scenarios: [] });
  });

  it('refuses what is not a bench report with CONFIG_INVALID naming --compare', () => {
    const cases = [
      [join(scratch, 'absent.json'), /cannot be read/],
      [file('text.json', 'not json'), /is not JSON/],
      [file('other.json', JSON.stringify({ schema: 'something-else', scenarios: [] })), /not a bench report/],
      [
        file('rows.json', JSON.stringify({ schema: 'raxx-vault-proxy-bench/2', scenarios: [{ name: 'get-c1', rows: [{}] }] })),
        /row #1 of get-c1/,
      ],
    ] as const;
    for (const [path, message] of cases) {
      expect(() => loadPreviousReport(path)).toThrowError(message);
      expect(() => loadPreviousReport(path)).toThrowError(
        expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: '--compare' } }),
      );
    }
  });

  it('keeps only numbers as figures', () => {
    const data = {
      schema: 'raxx-vault-proxy-bench/1',
      scenarios: [{ name: 'get-c1', rows: [{ target: 'proxy', status: 'ok', metrics: { p50Ms: 1, p99Ms: 'fast', maxMs: null } }] }],
    };
    expect(parsePreviousRun(data, 'x').scenarios[0]?.rows[0]?.metrics).toEqual({ p50Ms: 1 });
  });
});
