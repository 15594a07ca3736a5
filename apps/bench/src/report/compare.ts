import type { ScenarioName, TargetName } from '../options.js';
import { changesOf, type FigureChanges } from './figure-change.js';
import type { PreviousReport, PreviousRun } from './previous-report.js';
import type { BenchReport } from './report-types.js';

/** One target of one scenario, against the earlier run. */
export interface TargetChange {
  readonly target: TargetName;
  /** `compared`, or which side has no figures. */
  readonly status: 'compared' | 'no previous figures' | 'no figures now';
  /** Why a side has no figures (`not in the previous run`, `missing: …`, `failed: …`). */
  readonly reason?: string;
  /** Every figure both runs have: before = the earlier run's, after = this run's. */
  readonly figures: FigureChanges;
}

/** Every figure of this run against an earlier run's (`--compare`). */
export interface Comparison {
  readonly previous: { readonly file: string; readonly schema: string; readonly startedAt: string };
  /** Settings and machine facts that differ between the runs (then the figures differ for more than the code). */
  readonly differences: readonly string[];
  readonly scenarios: readonly { readonly name: ScenarioName; readonly rows: readonly TargetChange[] }[];
}

/** The parts of a report a comparison reads. */
export type ComparedRun = Pick<BenchReport, 'settings' | 'machine' | 'loader' | 'cpuPlan' | 'scenarios'>;

const SETTINGS = [
  'quick',
  'durationSec',
  'warmupSec',
  'warmupRuns',
  'repetitions',
  'streamBytes',
  'postBytes',
  'handshakeRequests',
  'poolSize',
  'accessLog',
];

function differences(now: ComparedRun, before: PreviousRun): string[] {
  const facts: [string, unknown, unknown][] = [
    ...SETTINGS.map((key): [string, unknown, unknown] => [key, before.settings[key], (now.settings as Record<string, unknown>)[key]]),
    ['load generator', before.loader.name, now.loader.name],
    ['pinned', before.cpuPlan.pinned, now.cpuPlan.pinned],
    ['cores', before.machine.cores, now.machine.cores],
    ['node', before.machine.node, now.machine.node],
  ];
  // A fact the earlier report does not record is not a difference we can see.
  return facts.filter(([, b, a]) => b !== undefined && b !== a).map(([name, b, a]) => `${name} ${String(b)} → ${String(a)}`);
}

function describe(status: string, reason: string | undefined): string {
  return reason === undefined || reason === '' ? status : `${status}: ${reason}`;
}

/**
 * Compare every figure of `now` with the earlier run's same figure, per
 * scenario and per target of this run (scenarios the earlier run lacks get
 * rows without figures, saying so).
 */
export function compareRuns(now: ComparedRun, previous: PreviousReport): Comparison {
  const before = previous.run;
  return {
    previous: { file: previous.file, schema: before.schema, startedAt: before.startedAt },
    differences: differences(now, before),
    scenarios: now.scenarios.map((scenario) => {
      const earlier = before.scenarios.find((s) => s.name === scenario.name);
      return {
        name: scenario.name,
        rows: scenario.rows.map((row): TargetChange => {
          const old = earlier?.rows.find((r) => r.target === row.target);
          if (row.status !== 'ok')
            return { target: row.target, status: 'no figures now', reason: describe(row.status, row.reason), figures: {} };
          if (old === undefined)
            return { target: row.target, status: 'no previous figures', reason: 'not in the previous run', figures: {} };
          if (old.status !== 'ok')
            return { target: row.target, status: 'no previous figures', reason: describe(old.status, old.reason), figures: {} };
          return { target: row.target, status: 'compared', figures: changesOf(old.metrics, row.metrics) };
        }),
      };
    }),
  };
}
