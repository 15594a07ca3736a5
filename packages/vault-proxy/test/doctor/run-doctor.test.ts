import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorOptions, DoctorReport } from '../../src/doctor/index.js';
import { enableMcp } from '../../src/mcp/index.js';
import { type DoctorWorld, doctorOn, freePort, secretsOf, startWorldWithRepo } from './doctor-fixture.js';

let world: DoctorWorld;
let repo: string;

beforeAll(async () => {
  ({ world, repo } = await startWorldWithRepo());
});
afterAll(() => world.close());

const doctor = (overrides: DoctorOptions = {}, env?: Record<string, string | undefined>) => doctorOn(world, repo, overrides, env);

function statuses(report: DoctorReport) {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

function expectNoSecrets(report: DoctorReport) {
  const json = JSON.stringify(report);
  const secrets = secretsOf(world);
  expect(secrets.length).toBeGreaterThanOrEqual(5);
  for (const s of secrets) expect(json).not.toContain(s);
}

describe('runDoctor', () => {
  it('is all green against a healthy proxy, vault, identity and config', async () => {
    const report = await doctor();
    expect(report.checks.map((c) => c.id)).toEqual(['proxy-running', 'vault-status', 'mcp-login', 'probe-secret', 'mcp-config']);
    expect(report.checks.every((c) => c.status === 'pass' && c.ok && c.fix === undefined)).toBe(true);
    expect(report.ok).toBe(true);
    expect(report.failureMode).toBeUndefined();
    expect(report.proxyUrl).toBe(`http://127.0.0.1:${world.port}`);
    const probe = report.checks.find((c) => c.id === 'probe-secret');
    expect(probe?.detail).toContain(`${world.vault.model.seed.probe.key} at prod:${world.vault.model.seed.probe.path}`);
    expectNoSecrets(report);
  });

  it('A: nothing listens on the port — later checks are skipped, E still runs', async () => {
    const port = await freePort();
    const report = await doctor({ port });
    expect(report.ok).toBe(false);
    expect(report.failureMode).toBe('A');
    const [a] = report.checks;
    expect(a).toMatchObject({ id: 'proxy-running', status: 'fail', failureMode: 'A' });
    expect(a?.detail).toContain(`http://127.0.0.1:${port}`);
    expect(a?.fix).toContain('vault-proxy start');
    expect(statuses(report)).toMatchObject({ 'vault-status': 'skipped', 'mcp-login': 'skipped', 'probe-secret': 'skipped' });
    const e = report.checks.find((c) => c.id === 'mcp-config');
    expect(e).toMatchObject({ status: 'fail', failureMode: 'E' });
    expect(e?.detail).toContain(`port ${world.port}, but the proxy is on port ${port}`);
  });

  it('A: another program holds the port — named with its pid, fix says change VAULT_PROXY_PORT', async () => {
    const squatter: Server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    try {
      const port = (squatter.address() as AddressInfo).port;
      const report = await doctor({ port });
      const [a] = report.checks;
      expect(a).toMatchObject({ status: 'fail', failureMode: 'A' });
      expect(a?.detail).toContain(`held by pid ${process.pid}`);
      expect(a?.fix).toContain('VAULT_PROXY_PORT=<other>');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('B: a proxy with a wrong Cloudflare secret gets a Cloudflare 403 on /api/status', async () => {
    const port = await world.extraProxy({ cfAccessClientSecret: 'f'.repeat(64) });
    await enableMcp({ dir: repo, port, env: {} });
    try {
      const report = await doctor({ port });
      expect(report.failureMode).toBe('B');
      expect(report.checks[0]?.status).toBe('pass');
      expect(report.checks[1]).toMatchObject({ id: 'vault-status', status: 'fail', failureMode: 'B', httpStatus: 403 });
      expect(report.checks[1]?.fix).toContain('CF_ACCESS_CLIENT_SECRET');
      expect(statuses(report)).toMatchObject({ 'mcp-login': 'skipped', 'probe-secret': 'skipped', 'mcp-config': 'pass' });
      expectNoSecrets(report);
    } finally {
      await enableMcp({ dir: repo, port: world.port, env: {} });
    }
  });

  it('B: 502 when the vault is unreachable — no failure mode letter, the proxy’s fix', async () => {
    const port = await world.extraProxy({ connectTo: `127.0.0.1:${await freePort()}` });
    const report = await doctor({ port });
    const b = report.checks[1];
    expect(b).toMatchObject({ id: 'vault-status', status: 'fail', httpStatus: 502 });
    expect(b?.failureMode).toBeUndefined();
    expect(b?.detail).toContain('UPSTREAM_UNREACHABLE');
    expect(b?.fix).toContain('unreachable');
  });

  it('C: a wrong MCP client secret is refused with 401', async () => {
    const wrong = 'e'.repeat(64);
    const report = await doctor({ mcpClientSecret: wrong });
    expect(report.failureMode).toBe('C');
    expect(report.checks[2]).toMatchObject({ id: 'mcp-login', status: 'fail', failureMode: 'C', httpStatus: 401 });
    expect(report.checks[2]?.fix).toContain('INFISICAL_MCP_CLIENT_SECRET');
    expect(report.checks[3]?.status).toBe('skipped');
    expect(JSON.stringify(report)).not.toContain(wrong);
    expectNoSecrets(report);
  });

  it('C: missing MCP credentials say which variables to export', async () => {
    const { INFISICAL_MCP_CLIENT_SECRET: _drop, ...env } = world.vault.env;
    const report = await doctor({ env });
    expect(report.checks[2]).toMatchObject({ status: 'fail', failureMode: 'C' });
    expect(report.checks[2]?.detail).toContain('INFISICAL_MCP_CLIENT_SECRET');
  });

  it('D: a probe outside the scope is refused with 403; the fix names the privilege of the identity named', async () => {
    const seed = world.vault.model.seed;
    const report = await doctor({
      probePath: seed.outOfScopePath,
      probeKey: 'OPS_PAGER_TOKEN',
      identityName: 'infisical-identity-mcp-main-loop-trademaster',
      agentName: 'mcp-ro',
      slug: 'mcp-main-loop-read',
    });
    expect(report.failureMode).toBe('D');
    expect(report.checks[3]).toMatchObject({ id: 'probe-secret', status: 'fail', failureMode: 'D', httpStatus: 403 });
    expect(report.checks[3]?.fix).toContain('additional privilege mcp-main-loop-read');
    expect(report.checks[3]?.fix).toContain('infisical-identity-mcp-main-loop-trademaster');
    expect(report.checks.filter((c) => c.id !== 'probe-secret').every((c) => c.ok)).toBe(true);
    expectNoSecrets(report);
  });

  it('E: no .mcp.json — everything else passes', async () => {
    const empty = join(world.scratch, 'empty');
    mkdirSync(empty, { recursive: true });
    const report = await doctor({ dir: empty });
    expect(report.failureMode).toBe('E');
    expect(statuses(report)).toEqual({
      'proxy-running': 'pass',
      'vault-status': 'pass',
      'mcp-login': 'pass',
      'probe-secret': 'pass',
      'mcp-config': 'fail',
    });
    const e = report.checks[4];
    expect(e?.detail).toContain(join(empty, '.mcp.json'));
    expect(e?.fix).toContain('enable-vault-mcp enable');
    expectNoSecrets(report);
  });
});
