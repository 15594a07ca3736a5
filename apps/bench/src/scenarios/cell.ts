import type { Loader } from '../load/loader.js';
import type { ResolvedBenchOptions, ScenarioName, TargetName } from '../options.js';
import type { Target, TargetContext } from '../targets/target.js';

/** Figures one measured run can produce; each scenario fills the ones it measures. */
export interface CellMetrics {
  /** Responses counted. */
  requests?: number;
  /** Successful responses per second. */
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** Body throughput of the streamed response, MiB/s. */
  mibPerSec?: number;
  /** Peak memory of the target's process tree over the run (Σ VmHWM), MiB. */
  peakRssMiB?: number;
  /** CPU time of the target's process tree (user + system, every thread) over the measured run, per response, µs. */
  cpuUsPerRequest?: number;
  /** Involuntary context switches of the target's main threads over the measured run, per response. */
  preemptionsPerRequest?: number;
  /** Upstream TLS handshakes during the run. */
  handshakes?: number;
  /** Upstream TLS handshakes scaled to 10,000 requests. */
  handshakesPer10k?: number;
  /** Σ VmRSS of the target's process tree, idle, a moment after it started listening (cold-start scenario), MiB. */
  idleRssMiB?: number;
  /** Spawn to the port accepting connections, ms. */
  listenMs?: number;
  /** Spawn to the first 200 answered through the target, ms. */
  firstOkMs?: number;
}

/** The result of one scenario × target × repetition. */
export interface CellResult {
  readonly scenario: ScenarioName;
  readonly target: TargetName;
  /** 1-based pass number. */
  readonly repetition: number;
  readonly status: 'ok' | 'failed';
  /** Why it failed (errors, refused requests, a crash). */
  readonly reason?: string;
  readonly metrics: CellMetrics;
}

/** What a scenario gets to run one cell. */
export interface CellContext {
  readonly options: ResolvedBenchOptions;
  readonly targetContext: TargetContext;
  readonly loader: Loader;
}

/** A scenario: what it measures and how to run it against one target. */
export interface Scenario {
  readonly name: ScenarioName;
  /** One line for the report. */
  readonly description: string;
  /** Whether this scenario means anything for a target (cold start of `direct` does not). */
  appliesTo(target: TargetName): boolean;
  /** Run once; throw to fail the cell, or return metrics and problems found. */
  run(context: CellContext, target: Target): Promise<{ metrics: CellMetrics; problems: string[] }>;
}
