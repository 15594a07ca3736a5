import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport, ScenarioRow } from '../src/report/report-types.js';

const bench = fileURLToPath(new URL('../dist/bench.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'bench-smoke-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bench, ...args], { env, timeout: 150_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function row(report: BenchReport, scenario: string, target: string): ScenarioRow {
  const found = report.scenarios.find((s) => s.name === scenario)?.rows.find((r) => r.target === target);
  if (!found) throw new Error(`no row ${scenario}/${target}`);
  return found;
}

describe('pnpm bench --quick', () => {
  it('measures direct and the proxy in every scenario and reports peers it cannot find as missing', async () => {
    expect(existsSync(bench), 'build apps/bench first (turbo builds it before tests)').toBe(true);
    // An empty PATH: no nginx, Caddy, HAProxy, wrk or taskset can be found, whatever this machine has.
    const emptyPath = mkdtempSync(join(scratch, 'path-'));
    const jsonFile = join(scratch, 'report.json');
    const result = await run(['--quick', '--no-install', '--json', jsonFile], { HOME: scratch, PATH: emptyPath });
    expect(result.stderr).not.toMatch(/^bench:/m);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchReport;

    expect(report.schema).toBe('raxx-vault-proxy-bench/1');
    expect(report.settings.quick).toBe(true);
    expect(report.loader.name).toBe('autocannon');
    expect(report.cpuPlan.pinned).toBe(false);
    expect(report.targets.map((t) => [t.name, t.status])).toEqual([
      ['direct', 'ok'],
      ['proxy', 'ok'],
      ['nginx', 'missing'],
      ['caddy', 'missing'],
      ['haproxy', 'missing'],
    ]);
    for (const peer of ['nginx', 'caddy', 'haproxy']) {
      expect(report.targets.find((t) => t.name === peer)?.reason).toMatch(/not installed/);
    }
    expect(report.scenarios.map((s) => s.name)).toEqual(['get-c1', 'get-c16', 'get-c128', 'post', 'stream', 'cold-start', 'handshakes']);

    for (const scenario of report.scenarios) {
      for (const peer of ['nginx', 'caddy', 'haproxy']) {
        const r = row(report, scenario.name, peer);
        expect(r.status).toBe('missing');
        expect(r.runs).toEqual([]);
      }
    }
    for (const scenario of ['get-c1', 'get-c16', 'get-c128', 'post']) {
      for (const target of ['direct', 'proxy']) {
        const r = row(report, scenario, target);
        expect(r.status, `${scenario}/${target}: ${r.reason}`).toBe('ok');
        expect(r.metrics.requestsPerSec).toBeGreaterThan(0);
        expect(r.metrics.p50Ms).toBeGreaterThan(0);
        expect(r.metrics.p99Ms).toBeGreaterThanOrEqual(r.metrics.p50Ms ?? Number.NaN);
      }
      const proxy = row(report, scenario, 'proxy');
      expect(proxy.metrics.peakRssMiB).toBeGreaterThan(0);
      expect(proxy.metrics.addedP99Ms).toBeCloseTo((proxy.metrics.p99Ms ?? 0) - (row(report, scenario, 'direct').metrics.p99Ms ?? 0), 6);
      expect(proxy.ratios.toDirect.requestsPerSec).toBeGreaterThan(0);
      // nginx is missing, so there is nothing to divide by: null, never a made-up 1.
      expect(proxy.ratios.toNginx.requestsPerSec).toBeNull();
    }

    const stream = row(report, 'stream', 'proxy');
    expect(stream.status, stream.reason).toBe('ok');
    expect(stream.metrics.mibPerSec).toBeGreaterThan(0);
    expect(stream.metrics.peakRssMiB).toBeGreaterThan(0);

    expect(row(report, 'cold-start', 'direct').status).toBe('n/a');
    const cold = row(report, 'cold-start', 'proxy');
    expect(cold.status, cold.reason).toBe('ok');
    expect(cold.metrics.listenMs).toBeGreaterThan(0);
    expect(cold.metrics.firstOkMs).toBeGreaterThanOrEqual(cold.metrics.listenMs ?? Number.NaN);

    const handshakes = row(report, 'handshakes', 'proxy');
    expect(handshakes.status, handshakes.reason).toBe('ok');
    expect(handshakes.metrics.requests).toBeGreaterThanOrEqual(report.settings.handshakeRequests);
    // The proxy reaches the upstream over TLS, so at least one handshake; direct is plain HTTP.
    expect(handshakes.metrics.handshakes).toBeGreaterThan(0);
    expect(row(report, 'handshakes', 'direct').metrics.handshakes).toBe(0);

    expect(report.goals).toHaveLength(6);
    expect(report.goals.every((g) => g.met === null || typeof g.value === 'number')).toBe(true);

    // The printed table marks the peers missing instead of leaving them out.
    expect(result.stdout).toMatch(/\| nginx \(missing: not installed/);
    expect(result.stdout).toMatch(/\| caddy \(missing: not installed/);
    expect(result.stdout).toMatch(/\| haproxy \(missing: not installed/);
    expect(result.stdout).toContain('### §4 targets');
  }, 150_000);

  it('refuses an unknown target, naming the flag', async () => {
    const result = await run(['--quick', '--no-install', '--targets', 'squid'], { HOME: scratch, PATH: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--targets takes only direct, proxy, nginx, caddy, haproxy');
  });
});
