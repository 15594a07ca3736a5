import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVaultProxyProcess, readPidFile, stopVaultProxyProcess } from '@raxx/vault-proxy/process';
import { type FakeVault, freePort, startFakeVault } from '@raxx/vault-testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** The built bins: tests run what an operator runs (the session starts apps/cli's vault-proxy). */
const BIN = fileURLToPath(new URL('../dist/enable-vault-mcp.js', import.meta.url));
const PROXY_BIN = fileURLToPath(new URL('../../cli/dist/vault-proxy.cjs', import.meta.url));
const IDENTITY = ['--identity-name', 'infisical-identity-mcp-main-loop-trademaster', '--agent-name', 'mcp-ro'];
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let fake: FakeVault;
let repo: string;
let runDir: string;
let env: NodeJS.ProcessEnv;
/** Every output of the test (not the eval run's, whose output is the credentials on purpose), for the canary sweep. */
const printed: string[] = [];

beforeEach(async () => {
  expect(existsSync(PROXY_BIN), 'apps/cli is built (turbo builds it before these tests)').toBe(true);
  fake = await startFakeVault({ port: 0 });
  repo = realpathSync(mkdtempSync(join(tmpdir(), 'session-repo-')));
  runDir = realpathSync(mkdtempSync(join(tmpdir(), 'session-run-')));
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: repo });
  // An operator's shell: the Access token, the admin identity, the vault's address and a probe key; no MCP identity yet.
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(VAULT_|CF_ACCESS_|INFISICAL_|XDG_RUNTIME_DIR$|INIT_CWD$|npm_)/.test(key)) base[key] = value;
  for (const [key, value] of Object.entries(fake.env)) if (!key.startsWith('INFISICAL_MCP_')) base[key] = value;
  env = {
    ...base,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    XDG_RUNTIME_DIR: runDir,
    VAULT_PROXY_PID_FILE: join(runDir, 'vault-proxy.pid'),
    VAULT_PROXY_PORT: String(await freePort()),
  };
  printed.length = 0;
});

afterEach(async () => {
  const running = await readPidFile(join(runDir, 'vault-proxy.pid'));
  if (running && isVaultProxyProcess(running.pid)) await stopVaultProxyProcess(running.pid, 5000);
  rmSync(repo, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
  await fake.close();
});

/** Run `command` (the bin, or bash) in the repository with the operator's environment plus `extra`. */
async function run(command: string, args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = spawn(command, args, { cwd: repo, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

async function session(args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> {
  const result = await run(process.execPath, [BIN, 'session', ...args], extra);
  printed.push(result.stdout, result.stderr);
  return result;
}

/** No secret of the fake vault (nor the MCP client id, nor a token) in any output, the config, .gitignore or the proxy's log. */
function expectNoCanary(): void {
  const files = [join(repo, '.mcp.json'), join(repo, '.gitignore'), join(runDir, 'vault-proxy.log')];
  const written = files.filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'));
  const haystack = [...printed, ...written].join('\n');
  const { seed } = fake.model;
  for (const canary of [seed.mcp.clientSecret, seed.mcp.clientId, seed.admin.clientSecret, seed.cfAccessClientSecret])
    expect(haystack.includes(canary), 'a credential leaked into an output or a file').toBe(false);
  expect(haystack).not.toMatch(JWT_SHAPE);
}

describe('enable-vault-mcp session', () => {
  it('from a fresh repository: proxy started, credentials read, login and read verified, config written; rerun harmless', async () => {
    const first = await session(IDENTITY);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^✔ Cloudflare Access token in the environment \(step 1\): CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET are set/m,
    );
    expect(first.stdout).toMatch(/^✔ Vault proxy \(step 2\): started in the background: pid \d+, http:\/\/127\.0\.0\.1:\d+/m);
    expect(first.stdout).toMatch(
      /^✔ Login and read as the MCP identity, through the proxy \(step 6\): .*→ 200; read DEMO_API_KEY at \/MooseQuest\/app → 200/m,
    );
    expect(first.stdout).toMatch(/^✔ The MCP config \(step 4\): wrote .*\.mcp\.json \(Claude Code; added to \.gitignore/m);
    expect(first.stdout).toContain(`eval "$(enable-vault-mcp session ${IDENTITY.join(' ')} --print-env)"`);
    expect(first.stdout).toMatch(/2\. Quit Claude Code and start it again from that shell/);
    const pid = (await readPidFile(join(runDir, 'vault-proxy.pid')))?.pid as number;
    expect(isVaultProxyProcess(pid)).toBe(true);
    const config = JSON.parse(readFileSync(join(repo, '.mcp.json'), 'utf8'));
    expect(config.mcpServers.infisical.env.INFISICAL_HOST_URL).toBe(`http://127.0.0.1:${env.VAULT_PROXY_PORT}`);

    const again = await session(IDENTITY);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^– Cloudflare Access token in the environment \(step 1\): not needed here/m);
    expect(again.stdout).toContain(`already running: pid ${pid}`);
    expect(again.stdout).toMatch(/^• The MCP config \(step 4\): already current/m);
    expectNoCanary();
  }, 30_000);

  it('--json: one clean document with the steps, and no credential in it', async () => {
    const result = await session([...IDENTITY, '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: true, proxy: { started: true }, verify: { login: 200 }, config: { action: 'created' } });
    expect(json.variables).toEqual(['INFISICAL_MCP_CLIENT_ID', 'INFISICAL_MCP_CLIENT_SECRET']);
    expect(json).not.toHaveProperty('credentials');
    expect(json.steps.map((s: { id: string }) => s.id)).toEqual([
      'access-token',
      'proxy',
      'vault-status',
      'credentials',
      'verify',
      'mcp-config',
    ]);
    expectNoCanary();
  }, 30_000);

  it('--print-env: stdout is exactly the two export lines, eval of them in bash yields the credentials', async () => {
    const result = await session([...IDENTITY, '--print-env']);
    expect(result.code).toBe(0);
    const { seed } = fake.model;
    expect(result.stdout).toBe(
      `export INFISICAL_MCP_CLIENT_ID=${seed.mcp.clientId}\nexport INFISICAL_MCP_CLIENT_SECRET=${seed.mcp.clientSecret}\n`,
    );
    expect(result.stderr).toMatch(/^✔ The MCP config \(step 4\)/m);
    expect(result.stderr).toMatch(/now holds: start the agent from that shell/);
    // The canary sweep covers everything but the export lines, which are the point.
    printed.splice(printed.indexOf(result.stdout), 1);

    const script = `eval "$("$1" "$2" session ${IDENTITY.join(' ')} --print-env)"; printf '%s\\n%s\\n' "$INFISICAL_MCP_CLIENT_ID" "$INFISICAL_MCP_CLIENT_SECRET"`;
    const shell = await run('bash', ['--noprofile', '--norc', '-c', script, 'bash', process.execPath, BIN]);
    expect(shell.code).toBe(0);
    expect(shell.stdout).toBe(`${seed.mcp.clientId}\n${seed.mcp.clientSecret}\n`);
    printed.push(shell.stderr);
    expectNoCanary();
  }, 30_000);

  it('--print-env keeps stdout empty when it fails, --json included: eval runs nothing', async () => {
    for (const extra of [[], ['--json']]) {
      const result = await session([...IDENTITY, '--print-env', ...extra], { CF_ACCESS_CLIENT_SECRET: '' });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('CF_ACCESS_CLIENT_SECRET is not set');
    }
    expect(JSON.parse((await session([...IDENTITY, '--print-env', '--json'], { CF_ACCESS_CLIENT_ID: '' })).stderr).error).toMatchObject({
      code: 'CONFIG_INVALID',
      env: 'CF_ACCESS_CLIENT_ID',
    });
  }, 30_000);

  it('without the Access token: exit 2 naming both variables, nothing started, nothing written', async () => {
    const result = await session(IDENTITY, { CF_ACCESS_CLIENT_ID: '', CF_ACCESS_CLIENT_SECRET: '' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^enable-vault-mcp: error: CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET are not set\./m);
    expect(existsSync(join(runDir, 'vault-proxy.pid'))).toBe(false);
    expect(existsSync(join(repo, '.mcp.json'))).toBe(false);
    expect(existsSync(join(repo, '.gitignore'))).toBe(false);
    expect(fake.requests).toEqual([]);
  }, 30_000);

  it('a wrong identity or agent name: exit 2 naming the flag as typed; no proxy left running, no config', async () => {
    const name = await session(['--identity-name', 'infisical-identity-mcp-nobody', '--agent-name', 'mcp-ro']);
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(
      /^enable-vault-mcp: error: --identity-name names no stored credentials: \/MooseQuest\/identities\/infisical-identity-mcp-nobody holds no secret in prod\./m,
    );
    const agent = await session([
      '--identity-name',
      'infisical-identity-mcp-main-loop-trademaster',
      '--agent-name',
      'billing-bot',
      '--json',
    ]);
    expect(agent.code).toBe(2);
    const json = JSON.parse(agent.stdout);
    expect(json).toMatchObject({ ok: false, command: 'session', error: { code: 'CONFIG_INVALID', flag: '--agent-name' } });
    expect(json.error.hint).toContain('pass --agent-name mcp-ro');
    // The steps that ran are in the document; the proxy they started was stopped again.
    expect(json.steps.map((s: { id: string }) => s.id)).toEqual(['access-token', 'proxy', 'vault-status']);
    expect(existsSync(join(runDir, 'vault-proxy.pid'))).toBe(false);
    expect(existsSync(join(repo, '.mcp.json'))).toBe(false);
    const missing = await session(['--agent-name', 'mcp-ro']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^enable-vault-mcp: error: --identity-name is required\./m);
    expectNoCanary();
  }, 30_000);
});
