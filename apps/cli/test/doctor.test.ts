import { join } from 'node:path';
import { enableMcp } from '@raxx/vault-proxy/mcp';
import { isVaultProxyProcess } from '@raxx/vault-proxy/process';
import { describe, expect, it } from 'vitest';
import { canaries, leaks, proxyEnv, readOrEmpty, runCli, tempDir } from './helpers.js';
import { useFakeVault, useStrayProxies } from './vault-fixture.js';

const fake = useFakeVault();
const strays = useStrayProxies();

/** The proxy's environment plus the named variables of the fake vault (the MCP identity, a probe key, …). */
function sessionEnv(dir: string, ...keys: string[]): NodeJS.ProcessEnv {
  return proxyEnv(fake(), join(dir, 'vault-proxy.pid'), Object.fromEntries(keys.map((k) => [k, fake().env[k] ?? ''])));
}

describe('vault-proxy doctor and emergency-stop', () => {
  it('diagnoses a healthy setup, then the emergency stop takes it down and doctor reports failure mode A', async () => {
    const dir = await tempDir();
    const env = sessionEnv(
      dir,
      'INFISICAL_MCP_CLIENT_ID',
      'INFISICAL_MCP_CLIENT_SECRET',
      'INFISICAL_PROJECT_ID',
      'VAULT_PROBE_KEY',
      'VAULT_PROBE_PATH',
    );
    const started = await runCli(['start', '--detach', '--json'], env);
    expect(started.code).toBe(0);
    const { pid, port } = JSON.parse(started.stdout) as { pid: number; port: number };
    strays.push(pid);
    await enableMcp({ dir, port, env });

    const doctor = await runCli(['doctor', '--port', String(port), '--dir', dir], env);
    expect(doctor.stderr).toBe('');
    expect(doctor.code).toBe(0);
    expect(doctor.stdout.split('\n').filter((l) => l.startsWith('✔'))).toHaveLength(5);
    const json = await runCli(['doctor', '--port', String(port), '--dir', dir, '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true });

    const stop = await runCli(['emergency-stop', '--port', String(port), '--dir', dir], env);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`✔ vault-proxy pid ${pid}: stopped (http://127.0.0.1:${port}; pid file ${join(dir, 'vault-proxy.pid')}`);
    expect(stop.stdout).toContain(
      `✔ claude: removed the Infisical entry and the file (nothing else was in it) — ${join(dir, '.mcp.json')}`,
    );
    expect(stop.stdout).toContain('Emergency stop done: 1 proxy stopped, 1 MCP entry removed');
    expect(isVaultProxyProcess(pid)).toBe(false);
    expect(await readOrEmpty(join(dir, '.mcp.json'))).toBe('');

    const after = await runCli(['doctor', '--port', String(port), '--dir', dir], env);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/✖ .*\[failure mode A\]/);

    const outputs = {
      doctor: doctor.stdout,
      json: json.stdout,
      stop: stop.stdout + stop.stderr,
      after: after.stdout + after.stderr,
      log: await readOrEmpty(join(dir, 'vault-proxy.log')),
    };
    expect(leaks(canaries(fake()), outputs)).toEqual([]);
  });

  it('without a probe key: check D is a warning line and doctor exits 0; fixes name the identity given by flags, never a secret', async () => {
    const dir = await tempDir();
    const env = sessionEnv(dir, 'INFISICAL_MCP_CLIENT_ID', 'INFISICAL_MCP_CLIENT_SECRET', 'INFISICAL_PROJECT_ID');
    const started = await runCli(['start', '--detach', '--json'], env);
    const { pid, port } = JSON.parse(started.stdout) as { pid: number; port: number };
    strays.push(pid);
    await enableMcp({ dir, port, env });
    const target = ['--port', String(port), '--dir', dir];

    const doctor = await runCli(['doctor', ...target], env);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain('! get-secret of the probe key: skipped: set VAULT_PROBE_KEY');
    expect(doctor.stdout).toContain('All checks that ran passed (1 skipped with a warning).');
    expect(doctor.stdout.split('\n').filter((l) => l.startsWith('✔'))).toHaveLength(4);
    const json = await runCli(['doctor', ...target, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      checks: expect.arrayContaining([expect.objectContaining({ status: 'warn' })]),
    });

    const named = ['--identity-name', 'infisical-identity-mcp-billing-bot', '--agent-name', 'billing-bot'];
    const refused = await runCli(['doctor', ...target, ...named], { ...env, INFISICAL_MCP_CLIENT_SECRET: 'revoked-secret-canary-31f0' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('BILLING_BOT_CLIENT_SECRET at /MooseQuest/identities/infisical-identity-mcp-billing-bot/');
    for (const name of ['MCP_RO_CLIENT_SECRET', 'mcp-main-loop-read', '/MooseQuest/**']) expect(refused.stdout).not.toContain(name);
    const unknown = await runCli(['doctor', ...target, '--manifest', join(dir, 'none.json')], env);
    expect(unknown.code).toBe(2);

    expect((await runCli(['stop', '--port', String(port)], env)).code).toBe(0);
    const outputs = {
      doctor: doctor.stdout + doctor.stderr,
      json: json.stdout,
      refused: refused.stdout + refused.stderr,
      unknown: unknown.stderr,
    };
    expect(leaks([...canaries(fake()), 'revoked-secret-canary-31f0'], outputs)).toEqual([]);
  });
});
