import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates } from '@raxx/vault-testkit';
import { autocannonLoader } from './load/autocannon-loader.js';
import type { Loader } from './load/loader.js';
import { wrkLoader } from './load/wrk-loader.js';
import { type BenchOptions, PEER_NAMES, type ResolvedBenchOptions, resolveBenchOptions } from './options.js';
import { compareCandidate } from './report/candidate-comparison.js';
import { compareRuns } from './report/compare.js';
import { checkGoals } from './report/goals.js';
import { describeMachine } from './report/machine.js';
import { type BenchReport, REPORT_SCHEMA, type ScenarioReport } from './report/report-types.js';
import { summarizeScenario } from './report/summarize.js';
import {
  type CellContext,
  type CellResult,
  COLD_START_SCENARIO,
  HANDSHAKE_SCENARIO,
  LOAD_SCENARIOS,
  type Scenario,
  STREAM_SCENARIO,
} from './scenarios/index.js';
import { type CpuPlan, planCpus } from './system/cpu-plan.js';
import { findExecutable } from './system/find-executable.js';
import { ensureTools, type ToolStatus, toolVersion } from './system/install.js';
import { createTargets } from './targets/create-targets.js';
import { TOOLS } from './targets/peers.js';
import type { Target, TargetContext } from './targets/target.js';
import { createExpectedHeaders } from './upstream/expected-headers.js';
import { startUpstream } from './upstream/upstream-process.js';

const ALL_SCENARIOS: readonly Scenario[] = [...LOAD_SCENARIOS, STREAM_SCENARIO, COLD_START_SCENARIO, HANDSHAKE_SCENARIO];

function pickLoader(options: ResolvedBenchOptions, wrk: ToolStatus | undefined, plan: CpuPlan, dir: string): Loader {
  if (options.loader !== 'autocannon' && wrk?.path !== undefined) {
    return wrkLoader(wrk.path, toolVersion(wrk.path, ['-v'], /wrk (\S+)/) ?? 'unknown', plan, dir, autocannonLoader());
  }
  if (options.loader === 'wrk') options.progress(`wrk is missing (${wrk?.reason ?? 'not found'}); using autocannon`);
  return autocannonLoader();
}

/** Put this process (the in-process load generator and the stream reader) on the loader's cores, all threads. */
function pinSelf(plan: CpuPlan): void {
  if (plan.pinned && plan.taskset !== undefined) {
    spawnSync(plan.taskset, ['-a', '-p', '-c', plan.loader.join(','), String(process.pid)], { stdio: 'ignore' });
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function summaryLine(cell: CellResult): string {
  const m = cell.metrics;
  const parts: string[] = [];
  if (m.requestsPerSec !== undefined) parts.push(`${m.requestsPerSec.toFixed(0)} req/s`);
  if (m.p50Ms !== undefined) parts.push(`p50 ${m.p50Ms.toFixed(2)} ms`);
  if (m.p99Ms !== undefined) parts.push(`p99 ${m.p99Ms.toFixed(2)} ms`);
  if (m.mibPerSec !== undefined) parts.push(`${m.mibPerSec.toFixed(0)} MiB/s`);
  if (m.listenMs !== undefined) parts.push(`listen ${m.listenMs.toFixed(1)} ms`);
  if (m.firstOkMs !== undefined) parts.push(`first 200 ${m.firstOkMs.toFixed(1)} ms`);
  if (m.cpuUsPerRequest !== undefined) parts.push(`CPU ${m.cpuUsPerRequest.toFixed(1)} µs/req`);
  if (m.preemptionsPerRequest !== undefined) parts.push(`${m.preemptionsPerRequest.toFixed(2)} preemptions/req`);
  if (m.peakRssMiB !== undefined) parts.push(`RSS ${m.peakRssMiB.toFixed(1)} MiB`);
  if (m.idleRssMiB !== undefined) parts.push(`idle RSS ${m.idleRssMiB.toFixed(1)} MiB`);
  if (m.handshakes !== undefined) parts.push(`${m.handshakes} handshakes`);
  return `${cell.status === 'ok' ? '' : `FAILED (${cell.reason}) `}${parts.join(', ')}`;
}

async function runCell(scenario: Scenario, target: Target, context: CellContext, repetition: number): Promise<CellResult> {
  try {
    const { metrics, problems } = await scenario.run(context, target);
    return problems.length === 0
      ? { scenario: scenario.name, target: target.name, repetition, status: 'ok', metrics }
      : { scenario: scenario.name, target: target.name, repetition, status: 'failed', reason: problems.join('; '), metrics };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { scenario: scenario.name, target: target.name, repetition, status: 'failed', reason, metrics: {} };
  }
}

/**
 * Run the bench: install what is missing, start the upstream on its own
 * core, then for each pass run every scenario against every available target
 * (a fresh instance each time, targets rotated between passes), and fold the
 * passes into a report.
 */
export async function runBench(input: BenchOptions = {}): Promise<BenchReport> {
  const options = resolveBenchOptions(input);
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'raxx-bench-'));
  const peersWanted = PEER_NAMES.filter((p) => options.targets.includes(p));
  const tools = ensureTools([...peersWanted.map((p) => TOOLS[p]), ...(options.loader === 'autocannon' ? [] : [TOOLS.wrk])], options);
  const plan = planCpus(findExecutable('taskset', options.path), options.pin);
  pinSelf(plan);
  const loader = pickLoader(options, tools.get('wrk'), plan, dir);
  options.progress(`cores: ${plan.description}; load generator: ${loader.name} ${loader.version}`);

  const certs = await createTestCertificates();
  const caFile = join(dir, 'ca.pem');
  const certFile = join(dir, 'upstream-cert.pem');
  const keyFile = join(dir, 'upstream-key.pem');
  writeFileSync(caFile, certs.caCert);
  writeFileSync(certFile, certs.cert);
  writeFileSync(keyFile, certs.key, { mode: 0o600 });
  const expected = createExpectedHeaders();
  const upstream = await startUpstream({ dir, certFile, keyFile, expected, plan });

  const { targets, reports: targetReports, builds } = createTargets(options, tools);

  const targetContext: TargetContext = {
    dir,
    plan,
    upstream,
    caFile,
    expected,
    poolSize: options.poolSize,
    accessLog: options.accessLog,
    profileDir: options.profileDir,
  };
  const context: CellContext = { options, targetContext, loader };
  const scenarios = ALL_SCENARIOS.filter((s) => options.scenarios.includes(s.name));
  const cells: CellResult[] = [];
  try {
    for (let rep = 1; rep <= options.repetitions; rep++) {
      for (const scenario of scenarios) {
        // Rotating the order between passes spreads slow moments of the machine over every target.
        for (const target of rotate(targets, rep - 1)) {
          if (!scenario.appliesTo(target.name)) continue;
          const cell = await runCell(scenario, target, context, rep);
          cells.push(cell);
          options.progress(`[pass ${rep}/${options.repetitions}] ${scenario.name} ${target.name}: ${summaryLine(cell)}`);
        }
      }
    }
  } finally {
    await upstream.service.stop();
  }

  const scenarioReports: ScenarioReport[] = scenarios.map((s) => ({
    name: s.name,
    description: s.description,
    rows: summarizeScenario(s.name, targetReports, cells, (t) => s.appliesTo(t)),
  }));
  const failed = cells.some((c) => c.status === 'failed');
  if (!failed) rmSync(dir, { recursive: true, force: true });
  const { proxy, candidate } = builds;
  const report: BenchReport = {
    schema: REPORT_SCHEMA,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: describeMachine(loadAtStart),
    settings: {
      quick: options.quick,
      durationSec: options.quick ? 0 : options.duration,
      warmupSec: options.warmup,
      warmupRuns: options.warmupRuns,
      repetitions: options.repetitions,
      streamBytes: options.streamBytes,
      postBytes: options.postBytes,
      handshakeRequests: options.handshakeRequests,
      poolSize: options.poolSize,
      accessLog: options.accessLog,
      direct:
        'the load generator calls the upstream over plain HTTP on loopback, sending the CF headers, Host and User-Agent itself (no TLS, no hop)',
      proxyColdStart: proxy?.coldLauncher ?? 'not measured',
      proxy: `its own node process (createProxy from @raxx/vault-proxy, configured by VAULT_PROXY_* env like vault-proxy start), log level ${options.accessLog ? 'info' : 'warn'}`,
      ...(candidate?.module === undefined ? {} : { candidate: { module: candidate.module, coldStart: candidate.coldLauncher } }),
    },
    cpuPlan: { pinned: plan.pinned, upstream: plan.upstream, target: plan.target, loader: plan.loader, description: plan.description },
    loader: { name: loader.name, version: loader.version },
    targets: targetReports,
    scenarios: scenarioReports,
    goals: checkGoals(scenarioReports, {
      poolSize: options.poolSize,
      streamBytes: options.streamBytes,
      coldStartViaCli: { proxy: proxy?.cli !== undefined, candidate: candidate?.cli !== undefined },
    }),
    ...(candidate?.module === undefined
      ? {}
      : {
          candidate: compareCandidate(scenarioReports, candidate.module, {
            proxy: { viaCli: proxy?.cli !== undefined, description: proxy?.coldLauncher ?? 'not measured' },
            candidate: { viaCli: candidate.cli !== undefined, description: candidate.coldLauncher },
          }),
        }),
    ...(failed ? { scratchDir: dir } : {}),
  };
  return options.compare === undefined ? report : { ...report, comparison: compareRuns(report, options.compare) };
}
