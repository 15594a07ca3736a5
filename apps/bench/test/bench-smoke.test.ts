import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport, ScenarioRow } from '../src/report/report-types.js';

const bench = fileURLToPath(new URL('../dist/bench.js', import.meta.url));
/** The built library itself, as a candidate: an A/B of the proxy against itself. */
const library = fileURLToPath(new URL('../../../packages/vault-proxy/dist/index.js', import.meta.url));
/** This worktree's built CLI, which the candidate's cold start runs. */
const cli = fileURLToPath(new URL('../../cli/dist/vault-proxy.cjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
// An empty PATH: no nginx, Caddy, HAProxy, wrk or taskset can be found, whatever this machine has.
const emptyPath = mkdtempSync(join(scratch, 'path-'));
const env = { HOME: scratch, PATH: emptyPath };
const ALL_SCENARIOS = ['get-c1', 'get-c16', 'get-c128', 'post', 'stream', 'cold-start', 'handshakes'];

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
  // The first smoke run; the second compares against its JSON.
  const jsonFile = join(scratch, 'report.json');
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    expect(existsSync(bench), 'build apps/bench first (turbo builds it before tests)').toBe(true);
    result = await run(['--quick', '--no-install', '--json', jsonFile], env);
  }, 150_000);

  it('measures direct and the proxy in every scenario and reports peers it cannot find as missing', () => {
    expect(result.stderr).not.toMatch(/^bench:/m);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchReport;

    expect(report.schema).toBe('raxx-vault-proxy-bench/2');
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
    expect(report.scenarios.map((s) => s.name)).toEqual(ALL_SCENARIOS);

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
    // A second instance, left idle after it listens: node alone holds tens of MiB.
    expect(cold.metrics.idleRssMiB).toBeGreaterThan(10);

    const handshakes = row(report, 'handshakes', 'proxy');
    expect(handshakes.status, handshakes.reason).toBe('ok');
    expect(handshakes.metrics.requests).toBeGreaterThanOrEqual(report.settings.handshakeRequests);
    // The proxy reaches the upstream over TLS, so at least one handshake; direct is plain HTTP.
    expect(handshakes.metrics.handshakes).toBeGreaterThan(0);
    expect(row(report, 'handshakes', 'direct').metrics.handshakes).toBe(0);

    expect(report.goals.map((g) => g.id)).toEqual([
      'get-c16-rps',
      'get-c128-rps',
      'get-c128-p99',
      'get-c1-p99',
      'stream-peak-rss',
      'idle-rss',
      'cold-start-listen',
      'upstream-handshakes',
    ]);
    // Without nginx the ratio targets cannot be judged; the absolute ones are.
    expect(report.goals.filter((g) => g.met === null).map((g) => g.id)).toEqual([
      'get-c16-rps',
      'get-c128-rps',
      'get-c128-p99',
      'get-c1-p99',
    ]);
    expect(report.goals.find((g) => g.id === 'idle-rss')?.value).toBe(cold.metrics.idleRssMiB);
    // The proxy's cold start is the CLI built beside this library, as production runs it.
    expect(report.settings.proxyColdStart).toBe('vault-proxy start (apps/cli/dist/vault-proxy.cjs)');
    expect(report.goals.every((g) => g.candidate === undefined)).toBe(true);
    expect(report.candidate).toBeUndefined();
    expect(report.comparison).toBeUndefined();

    // The printed table marks the peers missing instead of leaving them out.
    expect(result.stdout).toMatch(/\| nginx \(missing: not installed/);
    expect(result.stdout).toMatch(/\| caddy \(missing: not installed/);
    expect(result.stdout).toMatch(/\| haproxy \(missing: not installed/);
    expect(result.stdout).toContain('### Targets');
    // One --quick pass: the pass count is that pass's own verdict, so it agrees with the medians' column.
    const idle = /^\| idle RSS after start ≤ 48 MiB \| [\d.]+ MiB \| (yes|no) \| ([01]) of 1 \|$/m.exec(result.stdout);
    expect(idle?.[2]).toBe(idle?.[1] === 'yes' ? '1' : '0');
    expect(result.stdout).toMatch(/^\| get c16 req\/s ≥ 0\.8 × nginx's \| – \| not measured \| – \|$/m);
    expect(result.stdout).toMatch(/^\| `vault-proxy start` to listening ≤ 150 ms \| [\d.,]+ ms \| (yes|no) \| [01] of 1 \|$/m);
  });

  it('measures a --proxy-module candidate beside the proxy and gives each figure’s change against an earlier --json', async () => {
    const secondFile = join(scratch, 'second.json');
    const second = await run(['--quick', '--no-install', '--proxy-module', library, '--compare', jsonFile, '--json', secondFile], env);
    expect(second.stderr).not.toMatch(/^bench:/m);
    expect(second.code).toBe(0);
    const report = JSON.parse(readFileSync(secondFile, 'utf8')) as BenchReport;

    expect(report.targets.map((t) => [t.name, t.status])).toEqual([
      ['direct', 'ok'],
      ['proxy', 'ok'],
      ['candidate', 'ok'],
      ['nginx', 'missing'],
      ['caddy', 'missing'],
      ['haproxy', 'missing'],
    ]);
    expect(report.settings.candidate?.module).toBe(library);
    // The library of this worktree: its cold start runs through this worktree's own `vault-proxy start`.
    expect(report.settings.candidate?.coldStart).toBe(`vault-proxy start (${cli}, the candidate worktree's CLI)`);
    for (const scenario of ALL_SCENARIOS) {
      const r = row(report, scenario, 'candidate');
      expect(r.status, `${scenario}/candidate: ${r.reason}`).toBe('ok');
      expect(r.runs).toHaveLength(1);
    }
    expect(row(report, 'get-c16', 'candidate').ratios.toProxy?.requestsPerSec).toBeGreaterThan(0);
    expect(row(report, 'cold-start', 'candidate').metrics.idleRssMiB).toBeGreaterThan(10);

    // The A/B: every scenario compared, candidate ÷ proxy.
    expect(report.candidate?.module).toBe(library);
    expect(report.candidate?.notes).toEqual([]);
    expect(report.candidate?.scenarios.map((s) => [s.name, s.status])).toEqual(ALL_SCENARIOS.map((name) => [name, 'compared']));
    const c16 = report.candidate?.scenarios.find((s) => s.name === 'get-c16')?.figures.requestsPerSec;
    expect(c16?.before).toBe(row(report, 'get-c16', 'proxy').metrics.requestsPerSec);
    expect(c16?.after).toBe(row(report, 'get-c16', 'candidate').metrics.requestsPerSec);
    expect(report.goals.every((g) => g.candidate !== undefined)).toBe(true);

    // The comparison with the first run: old → new for the targets both measured.
    const comparison = report.comparison;
    expect(comparison?.previous.file).toBe(jsonFile);
    expect(comparison?.differences).toEqual([]);
    expect(comparison?.scenarios.map((s) => s.name)).toEqual(ALL_SCENARIOS);
    const first = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchReport;
    const proxyC1 = comparison?.scenarios.find((s) => s.name === 'get-c1')?.rows.find((r) => r.target === 'proxy');
    expect(proxyC1?.status).toBe('compared');
    expect(proxyC1?.figures.p50Ms?.before).toBe(row(first, 'get-c1', 'proxy').metrics.p50Ms);
    expect(proxyC1?.figures.p50Ms?.after).toBe(row(report, 'get-c1', 'proxy').metrics.p50Ms);
    expect(proxyC1?.figures.p50Ms?.ratio).toBeGreaterThan(0);
    const candidateC1 = comparison?.scenarios.find((s) => s.name === 'get-c1')?.rows.find((r) => r.target === 'candidate');
    expect(candidateC1).toMatchObject({ status: 'no previous figures', reason: 'not in the previous run' });

    expect(second.stdout).toMatch(/^\| target \| proxy \| met \| passes \| candidate \| met \| passes \|$/m);
    expect(second.stdout).toContain('### Candidate vs proxy (A/B within this run)');
    expect(second.stdout).toMatch(/^\| get-c16 \| req\/s \| [\d,]+ \| [\d,]+ \| ×[\d.]+ \| (better|worse|≈) \|$/m);
    expect(second.stdout).toContain('### Change against the previous run');
    expect(second.stdout).toMatch(/^\| proxy \| [\d,]+ → [\d,]+ \(×[\d.]+/m);
  }, 150_000);

  it('gives the CPU per request of each target with a process of its own, from a timed run', async () => {
    // --quick is too short for the 10 ms clock tick of /proc's CPU times; one timed second is not.
    const timedFile = join(scratch, 'timed.json');
    const timed = await run(
      [
        '--scenarios',
        'get-c16',
        '--targets',
        'direct,proxy',
        '--duration',
        '1',
        '--warmup',
        '0',
        '--repetitions',
        '1',
        '--no-install',
        '--json',
        timedFile,
      ],
      env,
    );
    expect(timed.stderr).not.toMatch(/^bench:/m);
    expect(timed.code).toBe(0);
    const report = JSON.parse(readFileSync(timedFile, 'utf8')) as BenchReport;
    const proxy = row(report, 'get-c16', 'proxy');
    expect(proxy.status, proxy.reason).toBe('ok');
    // Tens of µs per request warm, a few hundred cold; never nothing, never seconds.
    expect(proxy.metrics.cpuUsPerRequest).toBeGreaterThan(1);
    expect(proxy.metrics.cpuUsPerRequest).toBeLessThan(10_000);
    expect(proxy.metrics.preemptionsPerRequest).toBeGreaterThanOrEqual(0);
    // direct is the upstream itself, with no process of the target's own to measure.
    expect(row(report, 'get-c16', 'direct').metrics.cpuUsPerRequest).toBeUndefined();
    expect(timed.stdout).toMatch(/^\| target \| req\/s \| p50 ms \| p99 ms \| \+p50 ms vs direct \| \+p99 ms vs direct \| CPU µs\/req \|/m);
    expect(timed.stdout).toMatch(/^\| proxy \| [\d,]+ \(d[\d.]+\) \|(?: [^|]+ \|){4} [\d,.]+ \|/m);
    expect(timed.stderr).toMatch(/get-c16 proxy: .*CPU [\d.]+ µs\/req, [\d.]+ preemptions\/req/);
  }, 60_000);

  it('refuses an unknown target, naming the flag', async () => {
    const refused = await run(['--quick', '--no-install', '--targets', 'squid'], { HOME: scratch, PATH: '' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--targets takes only direct, proxy, candidate, nginx, caddy, haproxy');
  });

  it('refuses a --compare file that is not a bench report before measuring anything', async () => {
    const notReport = join(scratch, 'not-a-report.json');
    writeFileSync(notReport, '{"hello": "world"}\n');
    const refused = await run(['--quick', '--no-install', '--compare', notReport], { HOME: scratch, PATH: '' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`bench: --compare ${notReport}: not a bench report`);
    expect(refused.stderr).not.toContain('[pass 1/1]');
  });
});
