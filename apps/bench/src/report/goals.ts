import type { ScenarioName, TargetName } from '../options.js';
import type { CellMetrics } from '../scenarios/cell.js';
import type { GoalCheck, GoalResult, PassCount, ScenarioReport, ScenarioRow } from './report-types.js';
import { ratio } from './summarize.js';

/** What the goals need beyond the figures. */
export interface GoalSettings {
  /** The upstream pool size: the handshake budget. */
  readonly poolSize: number;
  /** Bytes streamed in the stream scenario (the goal is stated for 1 GiB). */
  readonly streamBytes: number;
  /**
   * Whether each build's cold start ran through `vault-proxy start` (default
   * yes); the bench runner loads less, so its figures get a note.
   */
  readonly coldStartViaCli?: Readonly<Partial<Record<Measured, boolean>>>;
}

/** Whose figures a goal reads: the proxy's own, or the candidate build's (`--proxy-module`). */
type Measured = Extract<TargetName, 'proxy' | 'candidate'>;

/** How a goal reads its figure: the target's own, its ratio to nginx's, or its excess over nginx's. */
type Reading = 'own' | 'ratio' | 'over';

interface Goal {
  readonly id: string;
  readonly goal: string;
  readonly unit: string;
  readonly scenario: ScenarioName;
  /** A figure every pass has (so each pass can be read on its own). */
  readonly metric: keyof CellMetrics;
  readonly reading: Reading;
  /** Measured on the cold-start launch, so it depends on what launched the process. */
  readonly launched?: true;
  pass(value: number): boolean;
}

function row(scenarios: readonly ScenarioReport[], name: ScenarioName, target: TargetName): ScenarioRow | undefined {
  const found = scenarios.find((s) => s.name === name)?.rows.find((r) => r.target === target);
  return found?.status === 'ok' ? found : undefined;
}

/**
 * A figure read the goal's way from the target's and nginx's (medians or one pass each); `undefined` when one
 * is missing, or for a ratio to a base that is not positive (summarize's rule: never a made-up 1 or Infinity).
 */
function read(reading: Reading, mine: number | undefined, nginx: number | undefined): number | undefined {
  if (mine === undefined) return undefined;
  if (reading === 'own') return mine;
  if (nginx === undefined) return undefined;
  if (reading === 'ratio') return ratio(mine, nginx) ?? undefined;
  return mine - nginx;
}

/** The goal's figure from the run's medians. */
function medianValue(goal: Goal, scenarios: readonly ScenarioReport[], target: Measured): number | undefined {
  const { scenario, metric } = goal;
  return read(goal.reading, row(scenarios, scenario, target)?.metrics[metric], row(scenarios, scenario, 'nginx')?.metrics[metric]);
}

/**
 * How many passes meet the goal on their own: each of the target's passes read
 * against nginx's pass of the same number (run beside it, on the same moment of
 * the machine), or alone for the target's own figures. The medians say whether
 * the run meets a target; this says how steadily it does.
 */
function passCount(goal: Goal, scenarios: readonly ScenarioReport[], target: Measured): PassCount | undefined {
  const mine = row(scenarios, goal.scenario, target);
  if (!mine) return undefined;
  const nginxRuns = row(scenarios, goal.scenario, 'nginx')?.runs ?? [];
  let met = 0;
  let of = 0;
  for (const run of mine.runs) {
    if (run.status !== 'ok') continue;
    const beside = nginxRuns.find((n) => n.repetition === run.repetition && n.status === 'ok');
    const value = read(goal.reading, run.metrics[goal.metric], beside?.metrics[goal.metric]);
    if (value === undefined) continue;
    of++;
    if (goal.pass(value)) met++;
  }
  return of === 0 ? undefined : { met, of };
}

function size(bytes: number): string {
  const GiB = 1024 ** 3;
  const MiB = 1024 ** 2;
  return bytes % GiB === 0 ? `${bytes / GiB} GiB` : bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/** Issue 13's targets, in its order; ratios are to nginx's figure of the same run. */
function goals(settings: GoalSettings): readonly Goal[] {
  return [
    {
      id: 'get-c16-rps',
      goal: "get c16 req/s ≥ 0.8 × nginx's",
      unit: '× nginx',
      scenario: 'get-c16',
      metric: 'requestsPerSec',
      reading: 'ratio',
      pass: (v) => v >= 0.8,
    },
    {
      id: 'get-c128-rps',
      goal: "get c128 req/s ≥ 1.0 × nginx's",
      unit: '× nginx',
      scenario: 'get-c128',
      metric: 'requestsPerSec',
      reading: 'ratio',
      pass: (v) => v >= 1,
    },
    {
      id: 'get-c128-p99',
      goal: "get c128 p99 ≤ nginx's p99",
      unit: '× nginx',
      scenario: 'get-c128',
      metric: 'p99Ms',
      reading: 'ratio',
      pass: (v) => v <= 1,
    },
    {
      id: 'get-c1-p99',
      goal: "get c1 p99 ≤ nginx's p99 + 0.5 ms",
      unit: 'ms over nginx',
      scenario: 'get-c1',
      metric: 'p99Ms',
      reading: 'over',
      pass: (v) => v <= 0.5,
    },
    {
      id: 'stream-peak-rss',
      goal: `peak RSS streaming ${size(settings.streamBytes)} ≤ 64 MiB`,
      unit: 'MiB',
      scenario: 'stream',
      metric: 'peakRssMiB',
      reading: 'own',
      pass: (v) => v <= 64,
    },
    {
      id: 'idle-rss',
      goal: 'idle RSS after start ≤ 48 MiB',
      unit: 'MiB',
      launched: true,
      scenario: 'cold-start',
      metric: 'idleRssMiB',
      reading: 'own',
      pass: (v) => v <= 48,
    },
    {
      id: 'cold-start-listen',
      goal: '`vault-proxy start` to listening ≤ 150 ms',
      unit: 'ms',
      launched: true,
      scenario: 'cold-start',
      metric: 'listenMs',
      reading: 'own',
      pass: (v) => v <= 150,
    },
    {
      id: 'upstream-handshakes',
      goal: `upstream TLS handshakes ≤ pool size (${settings.poolSize})`,
      unit: 'handshakes',
      scenario: 'handshakes',
      metric: 'handshakes',
      reading: 'own',
      pass: (v) => v <= settings.poolSize,
    },
  ];
}

function result(goal: Goal, scenarios: readonly ScenarioReport[], target: Measured, settings: GoalSettings): GoalResult {
  const value = medianValue(goal, scenarios, target);
  if (value === undefined) return { value: null, met: null };
  const runner = goal.launched === true && settings.coldStartViaCli?.[target] === false;
  const passes = passCount(goal, scenarios, target);
  return {
    value,
    met: goal.pass(value),
    ...(passes ? { passes } : {}),
    ...(runner ? { note: 'through the bench runner, not vault-proxy start' } : {}),
  };
}

/**
 * The proxy's performance targets (issue 13), each checked against this run's
 * figures of the proxy, and of the candidate build when there is a `candidate` row.
 */
export function checkGoals(scenarios: readonly ScenarioReport[], settings: GoalSettings): GoalCheck[] {
  const withCandidate = scenarios.some((s) => s.rows.some((r) => r.target === 'candidate'));
  return goals(settings).map((goal) => ({
    id: goal.id,
    goal: goal.goal,
    unit: goal.unit,
    ...result(goal, scenarios, 'proxy', settings),
    ...(withCandidate ? { candidate: result(goal, scenarios, 'candidate', settings) } : {}),
  }));
}
