import type { TargetName } from '../options.js';
import type { CpuPlan } from '../system/cpu-plan.js';
import type { ExpectedHeaders } from '../upstream/expected-headers.js';
import type { UpstreamProcess } from '../upstream/upstream-process.js';

/** Everything a target needs to start an instance. */
export interface TargetContext {
  /** Scratch directory for configs and logs. */
  readonly dir: string;
  readonly plan: CpuPlan;
  readonly upstream: UpstreamProcess;
  /** PEM file of the test CA the targets verify the upstream against. */
  readonly caFile: string;
  readonly expected: ExpectedHeaders;
  readonly poolSize: number;
  readonly accessLog: boolean;
  /** V8 CPU profiles of proxy processes go into `<profileDir>/<target>/`. */
  readonly profileDir: string | undefined;
}

/** A running instance of a target, fresh for each measured run. */
export interface TargetInstance {
  /** Base URL the load generator calls. */
  readonly url: string;
  /** Root pid whose process tree is the target's memory; `undefined` for `direct`. */
  readonly pid: number | undefined;
  /** Milliseconds from spawn to the port accepting connections. */
  readonly listenMs: number | undefined;
  /** When it was spawned (`performance.now()` clock). */
  readonly spawnedAt: number | undefined;
  /** Request headers the client sends to this target. */
  readonly headers: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** One row of the comparison. */
export interface Target {
  readonly name: TargetName;
  /** The version measured, e.g. `nginx/1.22.1`. */
  readonly version: string | undefined;
  start(context: TargetContext): Promise<TargetInstance>;
  /** Start the way production starts it, for the cold-start scenario; default {@link start}. */
  startCold?(context: TargetContext): Promise<TargetInstance>;
  /** How {@link startCold} launches, for the report. */
  readonly coldLauncher?: string;
}
