import type { ScenarioName, TargetName } from '../options.js';
import type { CellResult } from '../scenarios/cell.js';
import type { MetricName, RowMetrics, ScenarioRow, TargetReport } from './report-types.js';

/** Median of the numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function medians(cells: readonly CellResult[]): RowMetrics {
  const out: RowMetrics = {};
  const keys = new Set(cells.flatMap((c) => Object.keys(c.metrics))) as Set<keyof RowMetrics>;
  for (const key of keys) {
    const values = cells.map((c) => c.metrics[key as keyof CellResult['metrics']]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) out[key] = median(values);
  }
  return out;
}

/** `value ÷ base`, or `null` where that is no figure (a missing value, a base that is not positive). @internal */
export function ratio(value: number | undefined, base: number | undefined): number | null {
  // Only a positive base gives a meaningful ratio (an added latency can be zero or slightly negative).
  if (value === undefined || base === undefined || !(base > 0) || !Number.isFinite(value / base)) return null;
  return value / base;
}

function ratiosTo(metrics: RowMetrics, base: ScenarioRow | undefined): Partial<Record<MetricName, number | null>> {
  const out: Partial<Record<MetricName, number | null>> = {};
  for (const key of Object.keys(metrics) as MetricName[]) {
    out[key] = base?.status === 'ok' ? ratio(metrics[key], base.metrics[key]) : null;
  }
  return out;
}

/**
 * Fold the passes of one scenario into a row per target: medians of the
 * passes that succeeded, latency added over `direct`, and every figure's
 * ratio to nginx, to direct and to the proxy (what a candidate row is read by).
 */
export function summarizeScenario(
  scenario: ScenarioName,
  targets: readonly TargetReport[],
  cells: readonly CellResult[],
  appliesTo: (target: TargetName) => boolean,
): ScenarioRow[] {
  const bare = targets.map((t): ScenarioRow => {
    const runs = cells.filter((c) => c.scenario === scenario && c.target === t.name);
    const base = { target: t.name, runs, ratios: { toNginx: {}, toDirect: {} } };
    if (t.status === 'missing') return { ...base, status: 'missing', reason: t.reason ?? 'not installed', metrics: {} };
    if (!appliesTo(t.name)) return { ...base, status: 'n/a', reason: 'no process of its own to start', metrics: {} };
    const ok = runs.filter((c) => c.status === 'ok');
    if (ok.length === 0) {
      return { ...base, status: 'failed', reason: runs.find((c) => c.reason)?.reason ?? 'not run', metrics: medians(runs) };
    }
    const failedRuns = runs.length - ok.length;
    return {
      ...base,
      status: 'ok',
      ...(failedRuns > 0 ? { reason: `${failedRuns} of ${runs.length} passes failed and are left out` } : {}),
      metrics: medians(ok),
    };
  });
  const direct = bare.find((r) => r.target === 'direct' && r.status === 'ok');
  const withAdded = bare.map((row): ScenarioRow => {
    // direct adds nothing to itself; its row carries no added-latency figures.
    if (row.status !== 'ok' || direct === undefined || row.target === 'direct') return row;
    const m = { ...row.metrics };
    if (m.p50Ms !== undefined && direct.metrics.p50Ms !== undefined) m.addedP50Ms = m.p50Ms - direct.metrics.p50Ms;
    if (m.p99Ms !== undefined && direct.metrics.p99Ms !== undefined) m.addedP99Ms = m.p99Ms - direct.metrics.p99Ms;
    return { ...row, metrics: m };
  });
  const nginx = withAdded.find((r) => r.target === 'nginx');
  const directRow = withAdded.find((r) => r.target === 'direct');
  const proxy = withAdded.find((r) => r.target === 'proxy');
  return withAdded.map((row) => ({
    ...row,
    ratios: { toNginx: ratiosTo(row.metrics, nginx), toDirect: ratiosTo(row.metrics, directRow), toProxy: ratiosTo(row.metrics, proxy) },
  }));
}
