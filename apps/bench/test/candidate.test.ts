import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveBenchOptions, type TargetName } from '../src/options.js';
import { compareCandidate } from '../src/report/candidate-comparison.js';
import { checkGoals } from '../src/report/goals.js';
import { renderCandidate } from '../src/report/render-candidate.js';
import { renderGoals } from '../src/report/render-goals.js';
import type { RowMetrics, ScenarioReport, TargetReport } from '../src/report/report-types.js';
import { summarizeScenario } from '../src/report/summarize.js';
import type { CellResult } from '../src/scenarios/cell.js';
import { checkoutCli, libraryPackageOf, worktreeCli } from '../src/targets/worktree-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'bench-candidate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scenario(
  name: ScenarioReport['name'],
  figures: Partial<Record<TargetName, RowMetrics>>,
  failed: TargetName[] = [],
): ScenarioReport {
  const names = [...(Object.keys(figures) as TargetName[]), ...failed];
  const targets: TargetReport[] = names.map((t) => ({ name: t, status: 'ok' }));
  const cells: CellResult[] = names.map((t) =>
    failed.includes(t)
      ? { scenario: name, target: t, repetition: 1, status: 'failed', reason: 'crashed', metrics: {} }
      : { scenario: name, target: t, repetition: 1, status: 'ok', metrics: figures[t] ?? {} },
  );
  return { name, description: '', rows: summarizeScenario(name, targets, cells, () => true) };
}

const cli = { viaCli: true, description: 'vault-proxy start' };
const runner = { viaCli: false, description: 'the bench runner' };

describe('--proxy-module: the candidate beside the proxy', () => {
  const scenarios = [
    scenario('get-c16', {
      proxy: { requestsPerSec: 5_000, p99Ms: 4 },
      candidate: { requestsPerSec: 10_000, p99Ms: 4.12 },
      nginx: { requestsPerSec: 10_000, p99Ms: 2 },
    }),
    scenario('stream', { proxy: { mibPerSec: 100, peakRssMiB: 90 } }, ['candidate']),
    scenario('cold-start', { proxy: { listenMs: 200, idleRssMiB: 50 }, candidate: { listenMs: 140, idleRssMiB: 44 } }),
  ];

  it('gives candidate ÷ proxy for every figure, with a verdict read in the figure’s direction', () => {
    const ab = compareCandidate(scenarios, '/c/index.js', { proxy: cli, candidate: cli });
    expect(ab.module).toBe('/c/index.js');
    expect(ab.notes).toEqual([]);
    const c16 = ab.scenarios.find((s) => s.name === 'get-c16');
    expect(c16?.figures.requestsPerSec).toEqual({ before: 5_000, after: 10_000, ratio: 2, verdict: 'better' });
    expect(c16?.figures.p99Ms?.verdict).toBe('same');
    expect(ab.scenarios.find((s) => s.name === 'cold-start')?.figures.idleRssMiB).toMatchObject({ ratio: 0.88, verdict: 'better' });
  });

  it('says why a scenario is not compared when one side did not measure', () => {
    const stream = compareCandidate(scenarios, '/c/index.js', { proxy: cli, candidate: cli }).scenarios.find((s) => s.name === 'stream');
    expect(stream).toEqual({ name: 'stream', status: 'not compared', reason: 'candidate failed', figures: {} });
  });

  it('notes when the two cold starts ran through different launchers', () => {
    const ab = compareCandidate(scenarios, '/c/probe.js', { proxy: cli, candidate: runner });
    expect(ab.notes).toEqual(['cold start is not like for like: proxy through vault-proxy start, candidate through the bench runner']);
  });

  it('prints the A/B table and a candidate column in the targets table', () => {
    const text = renderCandidate(compareCandidate(scenarios, '/c/index.js', { proxy: cli, candidate: cli }));
    expect(text).toContain('### Candidate vs proxy (A/B within this run)');
    expect(text).toContain('| get-c16 | req/s | 5,000 | 10,000 | ×2.00 | better |');
    expect(text).toContain('| get-c16 | p99 ms | 4.00 | 4.12 | ×1.03 | ≈ |');
    expect(text).toContain('| stream | not compared (candidate failed) | – | – | – | |');
    const goals = renderGoals(checkGoals(scenarios, { poolSize: 64, streamBytes: 1024 ** 3 }));
    expect(goals).toContain('| target | proxy | met | passes | candidate | met | passes |');
    expect(goals).toContain("| get c16 req/s ≥ 0.8 × nginx's | 0.50 × nginx | no | 0 of 1 | 1.00 × nginx | yes | 1 of 1 |");
    expect(goals).toContain('| idle RSS after start ≤ 48 MiB | 50.00 MiB | no | 0 of 1 | 44.00 MiB | yes | 1 of 1 |');
    // The candidate failed its stream pass: no figure, no count.
    expect(goals).toContain('| peak RSS streaming 1 GiB ≤ 64 MiB | 90.00 MiB | no | 0 of 1 | – | not measured | – |');
  });
});

describe('resolveBenchOptions: the candidate target', () => {
  const module = join(scratch, 'candidate.js');
  writeFileSync(module, 'export function createProxy() {}\n');

  it('joins the targets, right after the proxy, exactly when there is a module', () => {
    expect(resolveBenchOptions().targets).toEqual(['direct', 'proxy', 'nginx', 'caddy', 'haproxy']);
    expect(resolveBenchOptions({ proxyModule: module }).targets).toEqual(['direct', 'proxy', 'candidate', 'nginx', 'caddy', 'haproxy']);
    expect(resolveBenchOptions({ proxyModule: module, targets: ['nginx', 'proxy'] }).targets).toEqual(['proxy', 'candidate', 'nginx']);
    expect(resolveBenchOptions({ proxyModule: module, targets: ['candidate', 'nginx'] }).targets).toEqual(['candidate', 'nginx']);
  });

  it('refuses a candidate target without a module, and a module that is not there', () => {
    expect(() => resolveBenchOptions({ targets: ['proxy', 'candidate'] })).toThrowError(
      '--targets lists candidate, which needs --proxy-module FILE.',
    );
    expect(() => resolveBenchOptions({ proxyModule: join(scratch, 'nope.js') })).toThrowError(/--proxy-module names no file/);
  });
});

describe('the candidate’s cold start through its own vault-proxy start', () => {
  const library = fileURLToPath(new URL('../../../packages/vault-proxy/', import.meta.url));
  const builtCli = fileURLToPath(new URL('../../cli/dist/vault-proxy.cjs', import.meta.url));

  function fakePackage(name: string, pkg: Record<string, unknown>): string {
    const dir = join(scratch, name);
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    writeFileSync(join(dir, 'dist', 'index.js'), 'export {};\n');
    return dir;
  }

  it('finds the @raxx/vault-proxy package whose ESM entry the module is', () => {
    expect(libraryPackageOf(join(library, 'dist', 'index.js'))).toBe(realpathSync(library).replace(/\/$/, ''));
    const other = fakePackage('other', { name: 'not-the-library', exports: { '.': { import: './dist/index.js' } } });
    expect(libraryPackageOf(join(other, 'dist', 'index.js'))).toBeUndefined();
    const subpath = fakePackage('subpath', { name: '@raxx/vault-proxy', exports: { '.': { import: { default: './dist/main.js' } } } });
    expect(libraryPackageOf(join(subpath, 'dist', 'index.js'))).toBeUndefined();
    const lone = join(scratch, 'probe.js');
    writeFileSync(lone, 'export function createProxy() {}\n');
    expect(libraryPackageOf(lone)).toBeUndefined();
  });

  it("runs the CLI built in the candidate's own worktree, the CommonJS one first, and none when there is none", () => {
    const worktree = join(scratch, 'worktree');
    const candidate = join(worktree, 'packages', 'vault-proxy');
    mkdirSync(candidate, { recursive: true });
    expect(worktreeCli(candidate)).toBeUndefined();
    const dist = join(worktree, 'apps', 'cli', 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'vault-proxy.js'), '');
    expect(worktreeCli(candidate)).toBe(join(dist, 'vault-proxy.js'));
    writeFileSync(join(dist, 'vault-proxy.cjs'), '');
    expect(worktreeCli(candidate)).toBe(join(dist, 'vault-proxy.cjs'));
  });

  it("finds this checkout's own CLI beside this checkout's library", () => {
    expect(existsSync(builtCli), 'build apps/cli first (turbo builds it before tests)').toBe(true);
    expect(worktreeCli(library)).toBe(builtCli);
    // The proxy target and the soak find it from the bench's own package, wherever the module runs from.
    expect(checkoutCli()).toBe(builtCli);
  });
});
