import type { ScenarioName } from '../options.js';
import type { GoalCheck, MetricName, ScenarioReport } from './report-types.js';

function proxyRow(scenarios: readonly ScenarioReport[], name: ScenarioName) {
  const row = scenarios.find((s) => s.name === name)?.rows.find((r) => r.target === 'proxy');
  return row?.status === 'ok' ? row : undefined;
}

function check(goal: string, unit: string, value: number | null | undefined, pass: (v: number) => boolean): GoalCheck {
  return value === undefined || value === null ? { goal, value: null, unit, met: null } : { goal, value, unit, met: pass(value) };
}

function metric(scenarios: readonly ScenarioReport[], name: ScenarioName, key: MetricName): number | undefined {
  return proxyRow(scenarios, name)?.metrics[key];
}

function toNginx(scenarios: readonly ScenarioReport[], name: ScenarioName, key: MetricName): number | null | undefined {
  return proxyRow(scenarios, name)?.ratios.toNginx[key];
}

/** The issue's §4 targets, each checked against the proxy's figures of this run. */
export function checkGoals(scenarios: readonly ScenarioReport[], poolSize: number): GoalCheck[] {
  return [
    check('throughput at concurrency 16 ≥ nginx', '× nginx', toNginx(scenarios, 'get-c16', 'requestsPerSec'), (v) => v >= 1),
    check('throughput at concurrency 128 ≥ nginx', '× nginx', toNginx(scenarios, 'get-c128', 'requestsPerSec'), (v) => v >= 1),
    check('p99 at concurrency 1 within 1 ms of direct', 'ms added', metric(scenarios, 'get-c1', 'addedP99Ms'), (v) => v <= 1),
    check(
      `upstream TLS handshakes ≤ pool size (${poolSize})`,
      'handshakes',
      metric(scenarios, 'handshakes', 'handshakes'),
      (v) => v <= poolSize,
    ),
    check('peak RSS ≤ 64 MiB while streaming', 'MiB', metric(scenarios, 'stream', 'peakRssMiB'), (v) => v <= 64),
    check('cold start ≤ 200 ms to listening', 'ms', metric(scenarios, 'cold-start', 'listenMs'), (v) => v <= 200),
  ];
}
