import type { MetricName, RowMetrics } from './report-types.js';

/** How a figure moved, read in its own direction (more req/s is better, more milliseconds is worse). */
export type Verdict = 'better' | 'worse' | 'same';

/** One figure measured twice: in two runs (`--compare`), or for the proxy and the candidate in one run. */
export interface FigureChange {
  readonly before: number;
  readonly after: number;
  /** after ÷ before; `null` when before is not positive (an added latency can be zero or negative). */
  readonly ratio: number | null;
  /** `null` for plain counts, which are neither better nor worse (requests sent). */
  readonly verdict: Verdict | null;
}

/** The changes of every figure two rows share. */
export type FigureChanges = Partial<Record<MetricName, FigureChange>>;

/**
 * A relative change smaller than this reads `same`. Passes on a shared
 * 2-core machine spread by about this much; a smaller step needs more
 * passes (`--repetitions`) before it means anything.
 */
export const NOISE_BAND = 0.05;

const HIGHER_IS_BETTER: ReadonlySet<MetricName> = new Set<MetricName>(['requestsPerSec', 'mibPerSec']);
const NEUTRAL: ReadonlySet<MetricName> = new Set<MetricName>(['requests']);

/** Whether a larger value of `metric` is better (`true`), worse (`false`), or neither (`null`). */
export function higherIsBetter(metric: MetricName): boolean | null {
  if (NEUTRAL.has(metric)) return null;
  return HIGHER_IS_BETTER.has(metric);
}

/** Compare one figure: ratio, and a verdict outside {@link NOISE_BAND}. */
export function figureChange(metric: MetricName, before: number, after: number): FigureChange {
  const ratio = before > 0 && Number.isFinite(after / before) ? after / before : null;
  const direction = higherIsBetter(metric);
  if (direction === null) return { before, after, ratio, verdict: null };
  // Relative to |before| so that an added latency going from -0.4 ms to +0.2 ms still reads worse.
  const relative = before === 0 ? Math.sign(after - before) : (after - before) / Math.abs(before);
  if (Math.abs(relative) <= NOISE_BAND) return { before, after, ratio, verdict: 'same' };
  return { before, after, ratio, verdict: relative > 0 === direction ? 'better' : 'worse' };
}

/** Every figure present in both rows, compared. */
export function changesOf(before: Partial<RowMetrics>, after: Partial<RowMetrics>): FigureChanges {
  const out: FigureChanges = {};
  for (const key of Object.keys(after) as MetricName[]) {
    const b = before[key];
    const a = after[key];
    if (typeof b === 'number' && typeof a === 'number') out[key] = figureChange(key, b, a);
  }
  return out;
}
