import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { VaultProxyError } from '@raxx/vault-proxy';
import { loadPreviousReport, type PreviousReport } from './report/previous-report.js';

/**
 * What each figure is measured against: the limit (`direct`), this proxy, a
 * candidate build of it (only with `--proxy-module`), and the peers someone
 * else would deploy.
 */
export const TARGET_NAMES = ['direct', 'proxy', 'candidate', 'nginx', 'caddy', 'haproxy'] as const;
/** One of {@link TARGET_NAMES}. */
export type TargetName = (typeof TARGET_NAMES)[number];
/** The reverse proxies installed from Debian and configured like this proxy. */
export const PEER_NAMES = ['nginx', 'caddy', 'haproxy'] as const;
/** One of {@link PEER_NAMES}. */
export type PeerName = (typeof PEER_NAMES)[number];

/** The scenarios, in the order they run within a repetition. */
export const SCENARIO_NAMES = ['get-c1', 'get-c16', 'get-c128', 'post', 'stream', 'cold-start', 'handshakes'] as const;
/** One of {@link SCENARIO_NAMES}. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Load generators the bench can drive. `auto` picks wrk when installed, else autocannon. */
export type LoaderChoice = 'auto' | 'wrk' | 'autocannon';

/** Options of {@link runBench}. Every field is optional. */
export interface BenchOptions {
  /** Seconds each measured load run lasts. Default `5` (ignored by `quick`, which counts requests instead). */
  duration?: number;
  /** Round-robin passes over every scenario × target; figures are the median over passes. Default `3` (`1` with `quick`). */
  repetitions?: number;
  /** CI smoke mode: a handful of requests per scenario, small bodies, one pass, no warm-up. Default `false`. */
  quick?: boolean;
  /** Targets to measure. Default all of {@link TARGET_NAMES}. */
  targets?: readonly TargetName[];
  /** Scenarios to run. Default all of {@link SCENARIO_NAMES}. */
  scenarios?: readonly ScenarioName[];
  /** Install missing peers and wrk with `apt-get` (Debian). Default `true`. */
  install?: boolean;
  /** Load generator. Default `auto`. */
  loader?: LoaderChoice;
  /** Seconds of untimed load before each measured run (JIT, pools). Default `1` (`0` with `quick`). */
  warmup?: number;
  /**
   * Load-generator runs the warm-up is split into, each with new connections (same seconds in all).
   * With `2`, a JIT's first reconnection (V8 deoptimizing code compiled while one connection existed:
   * BENCHMARKS.md §Why the targets are not met, c1 p99) happens in the warm-up, not the measured run.
   * Default `1`.
   */
  warmupRuns?: number;
  /** Bytes of the streamed response. Default 1 GiB (4 MiB with `quick`). */
  streamBytes?: number;
  /** Bytes of each POST body. Default 1 MiB. */
  postBytes?: number;
  /** Requests sent in the handshake scenario. Default `10000` (`200` with `quick`). */
  handshakeRequests?: number;
  /** Whether every target writes an access log line per request (the proxy at `info`, as production runs; peers to a file). Default `true`. */
  accessLog?: boolean;
  /** The proxy's upstream pool size (`VAULT_PROXY_POOL_SIZE`), also the peers' idle keep-alive pool. Default `64`. */
  poolSize?: number;
  /** Pin upstream, targets and load generator to separate cores with `taskset` when there are ≥ 2. Default `true`. */
  pin?: boolean;
  /** Write a V8 CPU profile of every proxy process into this directory (`node --cpu-prof`). Default unset. */
  profileDir?: string;
  /**
   * Path of a candidate build of `@raxx/vault-proxy` (an ESM file exporting `createProxy`), measured as the
   * `candidate` target beside the installed one (`proxy`), interleaved in every pass. Default unset.
   */
  proxyModule?: string;
  /** Path of an earlier run's JSON report (`--json`): every figure is also given as its change against it. Default unset. */
  compare?: string;
  /** Progress lines (one per measured run). Default: none. */
  progress?: (line: string) => void;
  /** `PATH` used to find peers, wrk, taskset and apt-get. Default `process.env.PATH`. */
  path?: string;
}

/** {@link BenchOptions} after defaults and validation. */
export interface ResolvedBenchOptions {
  readonly duration: number;
  readonly repetitions: number;
  readonly quick: boolean;
  readonly targets: readonly TargetName[];
  readonly scenarios: readonly ScenarioName[];
  readonly install: boolean;
  readonly loader: LoaderChoice;
  readonly warmup: number;
  readonly warmupRuns: number;
  readonly streamBytes: number;
  readonly postBytes: number;
  /** Requests per measured load run in `quick` mode (otherwise runs are timed). */
  readonly quickRequests: number;
  readonly handshakeRequests: number;
  readonly accessLog: boolean;
  readonly poolSize: number;
  readonly pin: boolean;
  readonly profileDir: string | undefined;
  readonly proxyModule: string | undefined;
  /** The earlier run to compare with, read and checked before anything runs. */
  readonly compare: PreviousReport | undefined;
  readonly progress: (line: string) => void;
  readonly path: string;
}

function invalid(field: string, rule: string): VaultProxyError {
  return new VaultProxyError('CONFIG_INVALID', `--${field} ${rule}.`, { details: { field: `--${field}` } });
}

function positive(value: number | undefined, field: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) throw invalid(field, `must be a number ≥ ${min}`);
  return value;
}

function whole(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalid(field, 'must be a whole number ≥ 1');
  return value;
}

function subset<T extends string>(value: readonly string[] | undefined, all: readonly T[], field: string): readonly T[] {
  if (value === undefined || value.length === 0) return all;
  for (const v of value) if (!all.includes(v as T)) throw invalid(field, `takes only ${all.join(', ')}`);
  // Keep the canonical order whatever order the caller used, so passes are comparable between runs.
  return all.filter((name) => value.includes(name));
}

function candidateModule(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const file = resolve(path);
  // Fail now rather than in every candidate run of a ten-minute bench.
  if (!existsSync(file)) throw invalid('proxy-module', `names no file (${file})`);
  return file;
}

/**
 * The targets to run: `candidate` joins by default exactly when there is a
 * candidate build (that is what `--proxy-module` asks for), and only then.
 */
function pickTargets(value: readonly string[] | undefined, proxyModule: string | undefined): readonly TargetName[] {
  const wanted = subset(value, TARGET_NAMES, 'targets');
  if (proxyModule === undefined) {
    if (value?.includes('candidate')) throw invalid('targets', 'lists candidate, which needs --proxy-module FILE');
    return wanted.filter((name) => name !== 'candidate');
  }
  return wanted.includes('candidate') ? wanted : TARGET_NAMES.filter((name) => name === 'candidate' || wanted.includes(name));
}

/** Apply defaults, then validate; a bad option throws `CONFIG_INVALID` naming the flag. */
export function resolveBenchOptions(options: BenchOptions = {}): ResolvedBenchOptions {
  const quick = options.quick ?? false;
  const loader = options.loader ?? 'auto';
  if (!['auto', 'wrk', 'autocannon'].includes(loader)) throw invalid('loader', 'takes only auto, wrk or autocannon');
  const proxyModule = candidateModule(options.proxyModule);
  return {
    duration: positive(options.duration, 'duration', 5),
    repetitions: Math.round(positive(options.repetitions, 'repetitions', quick ? 1 : 3)),
    quick,
    targets: pickTargets(options.targets, proxyModule),
    scenarios: subset(options.scenarios, SCENARIO_NAMES, 'scenarios'),
    install: options.install ?? true,
    loader,
    warmup: positive(options.warmup, 'warmup', quick ? 0 : 1, 0),
    warmupRuns: whole(options.warmupRuns, 'warmup-runs', 1),
    streamBytes: Math.round(positive(options.streamBytes, 'stream-bytes', quick ? 4 * 1024 * 1024 : 1024 * 1024 * 1024)),
    postBytes: Math.round(positive(options.postBytes, 'post-bytes', 1024 * 1024)),
    quickRequests: 40,
    handshakeRequests: Math.round(positive(options.handshakeRequests, 'handshake-requests', quick ? 200 : 10_000)),
    accessLog: options.accessLog ?? true,
    poolSize: Math.round(positive(options.poolSize, 'pool-size', 64)),
    pin: options.pin ?? true,
    profileDir: options.profileDir,
    proxyModule,
    compare: options.compare === undefined ? undefined : loadPreviousReport(resolve(options.compare)),
    progress: options.progress ?? (() => {}),
    path: options.path ?? process.env.PATH ?? '',
  };
}
