import { readFileSync } from 'node:fs';
import { SETTINGS } from '@raxx/vault-proxy/settings';
import { undeclaredHelpFlags } from '@raxx/vault-testkit';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './helpers.js';

const CANARY = 'help-canary-0c9f3e71';

const env = cleanEnv({ CF_ACCESS_CLIENT_ID: CANARY, CF_ACCESS_CLIENT_SECRET: CANARY, VAULT_PROXY_UPSTREAM: `https://${CANARY}.example` });

describe('vault-proxy --help', () => {
  it('start documents every environment variable and a flag for each non-secret one, with defaults', async () => {
    const run = await runCli(['start', '--help'], env);
    expect(run.code).toBe(0);
    for (const row of Object.values(SETTINGS).filter(
      (r) => r.usedBy.includes('vault-proxy') && !/^(INFISICAL_|VAULT_PROBE_)/.test(r.env),
    )) {
      expect(run.stdout).toContain(row.env);
      expect(run.stdout).toContain(row.defaultText);
      if (row.flag) expect(run.stdout).toContain(`--${row.flag}`);
    }
    expect(run.stdout).not.toMatch(/^\s+--cf-access-client-secret/m);
    expect(run.stdout).toContain('VAULT_PROXY_PID_FILE');
    expect(run.stdout).toContain('--detach');
  });

  it('every command documents its flags and environment, and no help shows a current value', async () => {
    for (const command of [[], ['start'], ['stop'], ['status'], ['demo']]) {
      const run = await runCli([...command, '--help'], env);
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(CANARY);
      if (command.length > 0) {
        expect(run.stdout).toContain('Environment (');
        expect(run.stdout).toContain('VAULT_PROXY_PID_FILE');
      }
    }
  });

  it('every flag an Environment section names is a flag of that command', async () => {
    for (const command of ['start', 'stop', 'status', 'doctor', 'emergency-stop', 'demo']) {
      const run = await runCli([command, '--help'], env);
      expect(run.code).toBe(0);
      expect(undeclaredHelpFlags(run.stdout), command).toEqual([]);
    }
  });

  it('--version prints the package version; an unknown command exits 2', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await runCli(['--version'], env)).stdout.trim()).toBe(version);
    const unknown = await runCli(['launch'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('launch');
  });
});
