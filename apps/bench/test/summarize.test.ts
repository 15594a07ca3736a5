import { describe, expect, it } from 'vitest';
import { checkGoals } from '../src/report/goals.js';
import type { TargetReport } from '../src/report/report-types.js';
import { median, summarizeScenario } from '../src/report/summarize.js';
import type { CellResult } from '../src/scenarios/cell.js';

const targets: TargetReport[] = [
  { name: 'direct', status: 'ok' },
  { name: 'proxy', status: 'ok' },
  { name: 'nginx', status: 'ok' },
  { name: 'caddy', status: 'missing', reason: 'not installed (caddy not on PATH; --no-install given)' },
];

function cell(target: CellResult['target'], repetition: number, rps: number, p99: number, status: 'ok' | 'failed' = 'ok'): CellResult {
  return {
    scenario: 'get-c16',
    target,
    repetition,
    status,
    ...(status === 'failed' ? { reason: '3 error statuses' } : {}),
    metrics: { requestsPerSec: rps, p50Ms: p99 / 2, p99Ms: p99 },
  };
}

describe('summarizeScenario', () => {
  const cells = [
    cell('direct', 1, 20_000, 1),
    cell('direct', 2, 22_000, 1.2),
    cell('direct', 3, 21_000, 1.1),
    cell('proxy', 1, 9_000, 2.1),
    cell('proxy', 2, 1, 90, 'failed'),
    cell('proxy', 3, 11_000, 2.3),
    cell('nginx', 1, 8_000, 2),
    cell('nginx', 2, 8_000, 2),
    cell('nginx', 3, 8_000, 2),
  ];
  const rows = summarizeScenario('get-c16', targets, cells, () => true);
  const byName = Object.fromEntries(rows.map((r) => [r.target, r]));

  it('takes medians over the passes that succeeded and says how many were left out', () => {
    expect(byName.direct?.metrics.requestsPerSec).toBe(21_000);
    expect(byName.proxy?.metrics.requestsPerSec).toBe(10_000);
    expect(byName.proxy?.metrics.p99Ms).toBeCloseTo(2.2);
    expect(byName.proxy?.status).toBe('ok');
    expect(byName.proxy?.reason).toBe('1 of 3 passes failed and are left out');
    expect(byName.proxy?.runs).toHaveLength(3);
  });

  it('gives latency added over direct and each figure’s ratio to nginx and to direct', () => {
    expect(byName.proxy?.metrics.addedP99Ms).toBeCloseTo(2.2 - 1.1);
    expect(byName.proxy?.ratios.toNginx.requestsPerSec).toBeCloseTo(10_000 / 8_000);
    expect(byName.proxy?.ratios.toDirect.requestsPerSec).toBeCloseTo(10_000 / 21_000);
    expect(byName.proxy?.ratios.toNginx.p99Ms).toBeCloseTo(2.2 / 2);
    expect(byName.nginx?.ratios.toNginx.requestsPerSec).toBe(1);
    // direct adds nothing to itself: there is no ratio of added latency to a zero.
    expect(byName.proxy?.ratios.toDirect.addedP99Ms).toBeNull();
  });

  it('marks a missing peer missing, with its reason and no figures', () => {
    expect(byName.caddy).toMatchObject({ status: 'missing', reason: expect.stringContaining('not installed'), metrics: {} });
  });

  it('marks a target failed when every pass failed, and gives no ratio against it', () => {
    const failedNginx = cells.map((c) => (c.target === 'nginx' ? { ...c, status: 'failed' as const, reason: 'crashed' } : c));
    const again = summarizeScenario('get-c16', targets, failedNginx, () => true);
    expect(again.find((r) => r.target === 'nginx')).toMatchObject({ status: 'failed', reason: 'crashed' });
    expect(again.find((r) => r.target === 'proxy')?.ratios.toNginx.requestsPerSec).toBeNull();
  });

  it('gives every row its ratio to the proxy, which the candidate row is read by', () => {
    const withCandidate = summarizeScenario(
      'get-c16',
      [...targets, { name: 'candidate', status: 'ok' }],
      [...cells, cell('candidate', 1, 12_000, 1.1), cell('candidate', 2, 12_000, 1.1)],
      () => true,
    );
    const candidate = withCandidate.find((r) => r.target === 'candidate');
    expect(candidate?.ratios.toProxy?.requestsPerSec).toBeCloseTo(12_000 / 10_000);
    expect(candidate?.ratios.toProxy?.p99Ms).toBeCloseTo(1.1 / 2.2);
    expect(withCandidate.find((r) => r.target === 'proxy')?.ratios.toProxy?.requestsPerSec).toBe(1);
  });

  it('feeds the targets table', () => {
    const goals = checkGoals([{ name: 'get-c16', description: '', rows }], { poolSize: 64, streamBytes: 1024 ** 3 });
    // Passes 1 and 3 (the proxy's second failed), each against nginx's pass of the same number.
    expect(goals[0]).toEqual({
      id: 'get-c16-rps',
      goal: "get c16 req/s ≥ 0.8 × nginx's",
      unit: '× nginx',
      value: 1.25,
      met: true,
      passes: { met: 2, of: 2 },
    });
    expect(goals[1]).toMatchObject({ id: 'get-c128-rps', value: null, met: null });
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
