import type { ScenarioName, TargetName } from '../options.js';
import type { GoalCheck, GoalResult, MetricName, ScenarioReport, ScenarioRow } from './report-types.js';

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

interface Goal {
  readonly id: string;
  readonly goal: string;
  readonly unit: string;
  /** Measured on the cold-start launch, so it depends on what launched the process. */
  readonly launched?: true;
  /** The figure the goal is about, `undefined` when this run did not measure it. */
  value(scenarios: readonly ScenarioReport[], target: Measured): number | null | undefined;
  pass(value: number): boolean;
}

function row(scenarios: readonly ScenarioReport[], name: ScenarioName, target: TargetName): ScenarioRow | undefined {
  const found = scenarios.find((s) => s.name === name)?.rows.find((r) => r.target === target);
  return found?.status === 'ok' ? found : undefined;
}

function metric(name: ScenarioName, key: MetricName) {
  return (scenarios: readonly ScenarioReport[], target: Measured) => row(scenarios, name, target)?.metrics[key];
}

function toNginx(name: ScenarioName, key: MetricName) {
  // The ratio summarize computed against nginx's row of the same run; null when nginx did not measure.
  return (scenarios: readonly ScenarioReport[], target: Measured) => row(scenarios, name, target)?.ratios.toNginx[key];
}

function overNginx(name: ScenarioName, key: MetricName) {
  return (scenarios: readonly ScenarioReport[], target: Measured) => {
    const mine = row(scenarios, name, target)?.metrics[key];
    const nginx = row(scenarios, name, 'nginx')?.metrics[key];
    return mine === undefined || nginx === undefined ? undefined : mine - nginx;
  };
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
      value: toNginx('get-c16', 'requestsPerSec'),
      pass: (v) => v >= 0.8,
    },
    {
      id: 'get-c128-rps',
      goal: "get c128 req/s ≥ 1.0 × nginx's",
      unit: '× nginx',
      value: toNginx('get-c128', 'requestsPerSec'),
      pass: (v) => v >= 1,
    },
    {
      id: 'get-c128-p99',
      goal: "get c128 p99 ≤ nginx's p99",
      unit: '× nginx',
      value: toNginx('get-c128', 'p99Ms'),
      pass: (v) => v <= 1,
    },
    {
      id: 'get-c1-p99',
      goal: "get c1 p99 ≤ nginx's p99 + 0.5 ms",
      unit: 'ms over nginx',
      value: overNginx('get-c1', 'p99Ms'),
      pass: (v) => v <= 0.5,
    },
    {
      id: 'stream-peak-rss',
      goal: `peak RSS streaming ${size(settings.streamBytes)} ≤ 64 MiB`,
      unit: 'MiB',
      value: metric('stream', 'peakRssMiB'),
      pass: (v) => v <= 64,
    },
    {
      id: 'idle-rss',
      goal: 'idle RSS after start ≤ 48 MiB',
      unit: 'MiB',
      launched: true,
      value: metric('cold-start', 'idleRssMiB'),
      pass: (v) => v <= 48,
    },
    {
      id: 'cold-start-listen',
      goal: '`vault-proxy start` to listening ≤ 150 ms',
      unit: 'ms',
      launched: true,
      value: metric('cold-start', 'listenMs'),
      pass: (v) => v <= 150,
    },
    {
      id: 'upstream-handshakes',
      goal: `upstream TLS handshakes ≤ pool size (${settings.poolSize})`,
      unit: 'handshakes',
      value: metric('handshakes', 'handshakes'),
      pass: (v) => v <= settings.poolSize,
    },
  ];
}

function result(goal: Goal, scenarios: readonly ScenarioReport[], target: Measured, settings: GoalSettings): GoalResult {
  const value = goal.value(scenarios, target);
  if (value === undefined || value === null) return { value: null, met: null };
  const runner = goal.launched === true && settings.coldStartViaCli?.[target] === false;
  return { value, met: goal.pass(value), ...(runner ? { note: 'through the bench runner, not vault-proxy start' } : {}) };
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
