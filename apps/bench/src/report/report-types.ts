import type { ScenarioName, TargetName } from '../options.js';
import type { CellMetrics, CellResult } from '../scenarios/cell.js';
import type { CpuPlan } from '../system/cpu-plan.js';
import type { CandidateComparison } from './candidate-comparison.js';
import type { Comparison } from './compare.js';

/** A row's figures: medians over the passes that succeeded, plus latency added over `direct`. */
export interface RowMetrics extends CellMetrics {
  /** p50 minus direct's p50, ms. */
  addedP50Ms?: number;
  /** p99 minus direct's p99, ms. */
  addedP99Ms?: number;
}

/** A metric name of {@link RowMetrics}. */
export type MetricName = keyof RowMetrics;

/** `ok`: measured; `failed`: every pass failed; `missing`: the program is not installed; `n/a`: the scenario means nothing for it. */
export type RowStatus = 'ok' | 'failed' | 'missing' | 'n/a';

/** One target in one scenario. */
export interface ScenarioRow {
  readonly target: TargetName;
  readonly status: RowStatus;
  readonly reason?: string;
  readonly metrics: RowMetrics;
  /** Each figure divided by nginx's, direct's and the proxy's same figure (`null` where there is nothing to divide by). */
  readonly ratios: {
    readonly toNginx: Partial<Record<MetricName, number | null>>;
    readonly toDirect: Partial<Record<MetricName, number | null>>;
    /** Against `proxy`: what the `candidate` row is read by (absent in reports of schema 1). */
    readonly toProxy?: Partial<Record<MetricName, number | null>>;
  };
  /** Every pass, for spread. */
  readonly runs: readonly CellResult[];
}

/** One scenario with a row per target. */
export interface ScenarioReport {
  readonly name: ScenarioName;
  readonly description: string;
  readonly rows: readonly ScenarioRow[];
}

/** A target's availability. */
export interface TargetReport {
  readonly name: TargetName;
  readonly status: 'ok' | 'missing';
  readonly version?: string;
  readonly reason?: string;
}

/** Passes of a run that meet a goal on their own (each against nginx's pass of the same number where the goal is relative). */
export interface PassCount {
  readonly met: number;
  readonly of: number;
}

/** One target's figure for a goal: `null` value and `met` when not measured in this run. */
export interface GoalResult {
  /** The figure from the run's medians. */
  readonly value: number | null;
  /** Whether that figure meets the goal: the run's verdict. */
  readonly met: boolean | null;
  /** How many passes meet it on their own: how steady the verdict is (absent when no pass measured it). */
  readonly passes?: PassCount;
  /** What makes the figure differ from what the goal names (e.g. a cold start through the bench runner). */
  readonly note?: string;
}

/** One of the proxy's performance targets, checked against this run (ratios to nginx come from the same run). */
export interface GoalCheck extends GoalResult {
  /** Stable key, the same in every run (for comparing runs). */
  readonly id: string;
  readonly goal: string;
  readonly unit: string;
  /** The candidate build's result, when `--proxy-module` measured one. */
  readonly candidate?: GoalResult;
}

/** The machine the figures come from. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly kernel: string;
  readonly node: string;
  /** 1-minute load average before and after the run: a noisy machine shows here. */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

/** The JSON report's format: 2 added candidate rows, `toProxy` ratios, goal ids, `candidate` and `comparison`. */
export const REPORT_SCHEMA = 'raxx-vault-proxy-bench/2';

/** Everything `pnpm bench` measured: printed as tables and written with `--json`. */
export interface BenchReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  readonly settings: {
    readonly quick: boolean;
    readonly durationSec: number;
    readonly warmupSec: number;
    /** Load runs the warm-up was split into, each with new connections. */
    readonly warmupRuns: number;
    readonly repetitions: number;
    readonly streamBytes: number;
    readonly postBytes: number;
    readonly handshakeRequests: number;
    readonly poolSize: number;
    readonly accessLog: boolean;
    /** How `direct` reaches the upstream. */
    readonly direct: string;
    /** How the proxy runs. */
    readonly proxy: string;
    /** How the proxy is launched for cold start. */
    readonly proxyColdStart: string;
    /** The candidate build (`--proxy-module`): its file, and how it is launched for cold start. */
    readonly candidate?: { readonly module: string; readonly coldStart: string };
  };
  readonly cpuPlan: Omit<CpuPlan, 'taskset'>;
  readonly loader: { readonly name: string; readonly version: string };
  readonly targets: readonly TargetReport[];
  readonly scenarios: readonly ScenarioReport[];
  readonly goals: readonly GoalCheck[];
  /** Candidate ÷ proxy for every figure, when `--proxy-module` measured a candidate. */
  readonly candidate?: CandidateComparison;
  /** Every figure against an earlier run's, with `--compare`. */
  readonly comparison?: Comparison;
  /** Where configs and logs were kept (only when something failed). */
  readonly scratchDir?: string;
}
