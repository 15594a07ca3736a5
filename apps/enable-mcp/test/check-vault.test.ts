import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxy } from '@raxx/vault-proxy';
import { type FakeVault, freePort, proxyFleet, startFakeVault } from '@raxx/vault-testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import type { CliIo } from '../src/output.js';

// `enable-vault-mcp check` asks /api/status THROUGH the proxy, and needs no Cloudflare token of its own.
process.env.GIT_CONFIG_GLOBAL = '/dev/null';
process.env.GIT_CONFIG_NOSYSTEM = '1';

const WRONG_CF_SECRET = 'wrong-cf-token-canary-9e8d7c6b5a41';
let vault: FakeVault;
const fleet = proxyFleet(createProxy, () => vault.env);
const proxyWith = fleet.start;
let repo: string;

beforeAll(async () => {
  vault = await startFakeVault({ port: 0 });
});
afterAll(async () => {
  await fleet.closeAll();
  await vault.close();
});
beforeEach(() => {
  repo = realpathSync(mkdtempSync(join(tmpdir(), 'enable-mcp-check-')));
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: repo });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** The agent's shell: the MCP identity, and no CF_ACCESS_* (only the proxy needs those). */
async function cli(args: string[], port: number) {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    INIT_CWD: repo,
    VAULT_PROXY_PORT: String(port),
    INFISICAL_MCP_CLIENT_ID: vault.env.INFISICAL_MCP_CLIENT_ID ?? '',
    INFISICAL_MCP_CLIENT_SECRET: vault.env.INFISICAL_MCP_CLIENT_SECRET ?? '',
  };
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  const code = await runCli(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function expectNoSecrets(text: string) {
  for (const s of [WRONG_CF_SECRET, vault.env.CF_ACCESS_CLIENT_SECRET, vault.env.INFISICAL_MCP_CLIENT_SECRET]) {
    expect(text).not.toContain(s);
  }
}

describe('enable-vault-mcp check and the vault through the proxy', () => {
  it('passes with CF_ACCESS_* unset in its own environment when the proxy gets through', async () => {
    const port = await proxyWith();
    expect((await cli(['enable'], port)).code).toBe(0);
    const check = await cli(['check'], port);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('✔ vault: GET /api/status through the proxy → 200');
    expect(check.stdout).not.toContain('CF_ACCESS_');
    const json = await cli(['check', '--json'], port);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ ok: true, proxy: { answers: true, vault: { state: 'reachable' } } });
    expect(result.variables.map((v: { name: string }) => v.name)).toEqual(['INFISICAL_MCP_CLIENT_ID', 'INFISICAL_MCP_CLIENT_SECRET']);
    expectNoSecrets(check.stdout + check.stderr + json.stdout + json.stderr);
  });

  it('reports failure mode B, with the fix, when Cloudflare refuses the proxy’s token — exit 1, one JSON document', async () => {
    const port = await proxyWith({ cfAccessClientSecret: WRONG_CF_SECRET });
    expect((await cli(['enable'], port)).code).toBe(0);
    const check = await cli(['check'], port);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('✔ proxy: answers at');
    expect(check.stdout).toContain('✖ vault: GET /api/status through the proxy → 403 CF_ACCESS_DENIED');
    expect(check.stdout).toContain('(failure mode B)');
    expect(check.stdout).toMatch(/fix: Refresh CF_ACCESS_CLIENT_ID \/ CF_ACCESS_CLIENT_SECRET in the proxy’s environment/);
    const json = await cli(['check', '--json'], port);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ ok: false, entry: 'current', proxy: { vault: { state: 'cloudflare-refused', failureMode: 'B' } } });
    expect(json.stderr).toBe('');
    expectNoSecrets(check.stdout + check.stderr + json.stdout + json.stderr);
  });

  it('reports a vault the proxy cannot reach', async () => {
    const port = await proxyWith({ connectTo: `127.0.0.1:${await freePort()}` });
    expect((await cli(['enable'], port)).code).toBe(0);
    const check = await cli(['check'], port);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('✖ vault: GET /api/status through the proxy → 502 UPSTREAM_UNREACHABLE');
  });
});
