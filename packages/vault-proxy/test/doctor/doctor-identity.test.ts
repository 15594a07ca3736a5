import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorOptions, DoctorReport } from '../../src/doctor/index.js';
import { isVaultProxyError } from '../../src/errors.js';
import { type DoctorWorld, doctorOn, secretsOf, startWorldWithRepo } from './doctor-fixture.js';

// The doctor's fixes name the identity in use (options, else the rotation manifest), never the runbook's production one.
let world: DoctorWorld;
let repo: string;
/** What the runbook names for its production identity: none may appear unless configured. */
const PRODUCTION = ['MCP_RO_CLIENT_SECRET', 'MCP_RO_CLIENT_ID', 'mcp-main-loop-read', 'main-loop-trademaster', '/MooseQuest/**'];

beforeAll(async () => {
  ({ world, repo } = await startWorldWithRepo());
});
afterAll(() => world.close());

const doctor = (overrides: DoctorOptions = {}, env?: Record<string, string | undefined>) => doctorOn(world, repo, overrides, env);

function check(report: DoctorReport, id: string) {
  return report.checks.find((c) => c.id === id);
}

function expectNoProductionNames(report: DoctorReport) {
  const text = JSON.stringify(report);
  for (const name of PRODUCTION) expect(text).not.toContain(name);
}

function expectNoSecrets(report: DoctorReport, extra: readonly string[] = []) {
  const text = JSON.stringify(report);
  for (const s of [...secretsOf(world), ...extra]) expect(text).not.toContain(s);
}

const BILLING = { identityName: 'infisical-identity-mcp-billing-bot', agentName: 'billing-bot' };
const OUT_OF_SCOPE = { probeKey: 'OPS_PAGER_TOKEN', probePath: '/Ops' };

describe('runDoctor names the identity in use', () => {
  it('C: a refused secret names the configured identity’s creds path, key and rotate command', async () => {
    const wrong = 'wrong-mcp-secret-canary-7c6b5a49';
    const report = await doctor({ ...BILLING, mcpClientSecret: wrong });
    const c = check(report, 'mcp-login');
    expect(c).toMatchObject({ status: 'fail', failureMode: 'C', httpStatus: 401 });
    expect(c?.fix).toContain('BILLING_BOT_CLIENT_SECRET at /MooseQuest/identities/infisical-identity-mcp-billing-bot/');
    expect(c?.fix).toContain('vault-provision rotate --identity-name infisical-identity-mcp-billing-bot --agent-name billing-bot');
    expect(report.identity).toMatchObject({ source: 'options', ...BILLING, clientSecretKey: 'BILLING_BOT_CLIENT_SECRET' });
    expectNoProductionNames(report);
    expectNoSecrets(report, [wrong]);
  });

  it('D: an out-of-scope probe names the configured identity and its default privilege, no production names', async () => {
    const report = await doctor({ ...BILLING, ...OUT_OF_SCOPE, credsPath: '/Agents/billing/' });
    const d = check(report, 'probe-secret');
    expect(d).toMatchObject({ status: 'fail', failureMode: 'D', httpStatus: 403 });
    expect(d?.fix).toContain('the MCP identity infisical-identity-mcp-billing-bot');
    expect(d?.fix).toContain('billing-bot-read');
    expect(d?.fix).toContain('/Ops');
    expect(report.identity.credsPath).toBe('/Agents/billing');
    expectNoProductionNames(report);
    expectNoSecrets(report);
  });

  it('nothing configured: the fixes speak of the MCP identity generically and say how to name it', async () => {
    const report = await doctor({ ...OUT_OF_SCOPE });
    const d = check(report, 'probe-secret');
    expect(d).toMatchObject({ status: 'fail', failureMode: 'D' });
    expect(d?.fix).toContain('the MCP identity (the one INFISICAL_MCP_CLIENT_ID names)');
    expect(d?.fix).toContain('--identity-name and --agent-name, or --manifest');
    expect(report.identity).toEqual({ source: 'none' });
    expectNoProductionNames(report);
  });

  it('a rotation manifest names the identity whose client id is configured', async () => {
    const manifest = join(world.scratch, 'rotation.json');
    const entry = (identityName: string, prefix: string, clientId: string) => ({
      identityName,
      identityId: `id-${identityName}`,
      clientId,
      projectId: world.vault.model.seed.projectId,
      environment: 'prod',
      credsPath: `/Agents/${identityName}`,
      clientIdKey: `${prefix}_CLIENT_ID`,
      clientSecretKey: `${prefix}_CLIENT_SECRET`,
      rotationIntervalDays: 30,
      lastRotatedAt: '2026-01-01T00:00:00.000Z',
      currentClientSecretId: 'secret-id',
    });
    const identities = [
      entry('infisical-identity-mcp-other', 'OTHER', 'another-client-id'),
      entry('infisical-identity-mcp-ledger', 'LEDGER_BOT', world.vault.env.INFISICAL_MCP_CLIENT_ID ?? ''),
    ];
    writeFileSync(manifest, JSON.stringify({ version: 1, identities }));
    const report = await doctor({ manifest, mcpClientSecret: 'wrong-secret-for-manifest-test' });
    expect(report.identity).toMatchObject({ source: 'manifest', identityName: 'infisical-identity-mcp-ledger', agentName: 'ledger-bot' });
    const fix = check(report, 'mcp-login')?.fix;
    expect(fix).toContain('LEDGER_BOT_CLIENT_SECRET at /Agents/infisical-identity-mcp-ledger/');
    expect(fix).toContain('--identity-name infisical-identity-mcp-ledger --agent-name ledger-bot');
    expectNoProductionNames(report);
    await expect(doctor({ manifest, identityName: 'not-listed' })).rejects.toSatisfy(
      (e) => isVaultProxyError(e, 'CONFIG_INVALID') && e.details.field === 'identityName',
    );
  });
});

describe('runDoctor check D: probe key and folder', () => {
  it('without a probe key, D is a warning ("skipped: set VAULT_PROBE_KEY") and the report is ok', async () => {
    const { VAULT_PROBE_KEY: _drop, ...env } = world.vault.env;
    const report = await doctor({}, env);
    const d = check(report, 'probe-secret');
    expect(d).toMatchObject({ status: 'warn', ok: true, detail: 'skipped: set VAULT_PROBE_KEY' });
    expect(d?.fix).toContain('VAULT_PROBE_KEY');
    expect(report.ok).toBe(true);
    expect(report.failureMode).toBeUndefined();
    expect(report.checks.filter((c) => c.id !== 'probe-secret').every((c) => c.status === 'pass')).toBe(true);
  });

  it('a probe folder that does not exist is said so — not "out of scope", no failure mode', async () => {
    const report = await doctor({ ...BILLING, probePath: '/MooseQuest/nowhere', probeKey: 'ANY_KEY' });
    const d = check(report, 'probe-secret');
    expect(d).toMatchObject({ status: 'fail', httpStatus: 404 });
    expect(d?.failureMode).toBeUndefined();
    expect(d?.detail).toContain('the folder /MooseQuest/nowhere does not exist in prod');
    expect(d?.fix).toContain('does not exist');
    expect(d?.fix).toContain('--probe-path');
    expect(`${d?.detail} ${d?.fix}`).not.toMatch(/out of scope|may not read/);
    expectNoProductionNames(report);
  });

  it('a key missing from an existing folder is "no such key"', async () => {
    const report = await doctor({ probePath: world.vault.model.seed.probe.path, probeKey: 'NO_SUCH_KEY' });
    const d = check(report, 'probe-secret');
    expect(d).toMatchObject({ status: 'fail', httpStatus: 404 });
    expect(d?.detail).toContain('no such key');
    expect(d?.fix).toContain('No key NO_SUCH_KEY in /MooseQuest/app');
  });
});
