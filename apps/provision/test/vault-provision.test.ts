import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProxy } from '@raxx/vault-proxy';
import { startSession } from '@raxx/vault-proxy/mcp';
import {
  createVaultModel,
  type FakeVault,
  SERVER_PROFILES,
  startFakeVault,
  undeclaredHelpFlags,
  type VaultModelOptions,
} from '@raxx/vault-testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** The built bin: tests run against dist/, as a user would. */
const BIN = fileURLToPath(new URL('../dist/vault-provision.js', import.meta.url));
const IDENTITY = 'infisical-identity-mcp-canary-agent';
const CREDS = `/MooseQuest/identities/${IDENTITY}`;
const AGENT_FLAGS = ['--identity-name', IDENTITY, '--agent-name', 'canary-agent'];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let fake: FakeVault;
let scratch: string;
/** Everything any run printed, for the canary scan. */
const printed: string[] = [];

/** Start the fake vault of a test, answering as `options` say. */
async function startVault(options: VaultModelOptions = {}): Promise<void> {
  fake = await startFakeVault({ port: 0, model: createVaultModel(options) });
}

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'vault-provision-'));
  printed.length = 0;
});
afterEach(async () => {
  await fake?.close();
});

/** The process environment without anything vault-related, plus what the fake vault hands out. */
function envFor(vault: FakeVault): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(VAULT_|CF_ACCESS_|INFISICAL_)/.test(key)) env[key] = value;
  return { ...env, ...vault.env };
}

async function provision(args: readonly string[]): Promise<Run> {
  return provisionWith({}, args);
}

/** Run the bin with the fake vault's environment plus `extra`. */
async function provisionWith(extra: Record<string, string>, args: readonly string[]): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...envFor(fake), ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const [code] = (await once(child, 'close')) as [number | null];
  const run = { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  printed.push(run.stdout, run.stderr);
  return run;
}

function storedSecret(): string {
  const stored = fake.model.getSecretValue({ environment: 'prod', secretPath: CREDS, secretKey: 'CANARY_AGENT_CLIENT_SECRET' });
  expect(stored?.value).toMatch(/^[0-9a-f]{64}$/);
  return stored?.value as string;
}

/** The issued client secret, the admin's and Cloudflare's secrets appear in no output and no written file. */
function expectNoCanary(issued: readonly string[]) {
  const written = readdirSync(scratch).map((f) => readFileSync(join(scratch, f), 'utf8'));
  const haystack = [...printed, ...written].join('\n');
  const canaries = [...issued, fake.model.seed.admin.clientSecret, fake.model.seed.cfAccessClientSecret, fake.model.seed.mcp.clientSecret];
  for (const canary of canaries) expect(haystack.includes(canary), 'a secret value leaked into output or a file').toBe(false);
}

describe('vault-provision --help', () => {
  it('every flag an Environment section names is a flag of that command', () => {
    for (const command of ['onboard', 'plan', 'verify', 'rotate']) {
      const help = execFileSync(process.execPath, [BIN, command, '--help'], { encoding: 'utf8' });
      expect(undeclaredHelpFlags(help), command).toEqual([]);
    }
  });
});

describe.each(SERVER_PROFILES)('vault-provision (spawned, against a fake %s server)', (server) => {
  beforeEach(() => startVault({ server }));

  it('onboard prints each step, writes the manifest, verifies, and leaks no secret anywhere', async () => {
    const manifest = join(scratch, 'rotation.json');
    const run = await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--manifest', manifest]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✔ 3\. Machine identity \(org role no-access\) \(runbook Step 3\) — done: created identity/m);
    expect(run.stdout).toMatch(/^✔ 7\. Issue, store and prove the client secret \(runbook Step 5\) — done: .*login proved/m);
    // Steps are numbered in the order they run.
    const numbers = [...run.stdout.matchAll(/^[✔•✖→-] (\d+)\. /gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(run.stdout).toMatch(/✔ out-of-scope-read: .*expected 403, got 403/);
    const first = storedSecret();
    const again = await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--manifest', manifest, '--json']);
    expect(again.code).toBe(0);
    const json = JSON.parse(again.stdout) as { ok: boolean; steps: { id: string; status: string }[] };
    expect(json.ok).toBe(true);
    expect(json.steps.find((s) => s.id === 'client-secret')?.status).toBe('already-done');
    const rotated = await provision(['rotate', ...AGENT_FLAGS, '--manifest', manifest]);
    expect(rotated.code).toBe(0);
    const second = storedSecret();
    expect(second).not.toBe(first);
    expect(JSON.parse(readFileSync(manifest, 'utf8')).identities[0].identityName).toBe(IDENTITY);
    expectNoCanary([first, second]);
    // Three spawned runs (onboard with verify, onboard, rotate): slower than one request.
  }, 15_000);

  it('a failed rotation says why, exits 1, keeps the stored secret, and leaks nothing', async () => {
    expect((await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--no-verify'])).code).toBe(0);
    const before = storedSecret();
    // The store is retried twice (the client's default), so three failures fail it.
    fake.faults.add({ method: 'PATCH', path: '/api/v3/secrets/raw/CANARY_AGENT_CLIENT_SECRET', status: 500, times: 3 });
    const run = await provision(['rotate', ...AGENT_FLAGS]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^✖ 5\. Issue, store and prove a new client secret \(runbook Step 5\) — failed: Storing the new client secret failed .* was revoked/m,
    );
    expect(run.stderr).toMatch(/^vault-provision: error: Step 5/m);
    expect(storedSecret()).toBe(before);
    expectNoCanary([before]);
    // The store is retried with the default back-off (250 + 500 ms) before it fails.
  }, 15_000);

  it('plan --json reports would-do and changes nothing', async () => {
    const run = await provision(['plan', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { ok: boolean; mode: string; steps: { id: string; status: string }[] };
    expect(json).toMatchObject({ ok: true, mode: 'plan' });
    expect(json.steps.find((s) => s.id === 'identity')?.status).toBe('would-do');
    expect(fake.model.findIdentitiesByName(IDENTITY)).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/login'))).toEqual([]);
  });

  it('takes the project from --project-id, over INFISICAL_PROJECT_ID, and refuses a malformed one before any request', async () => {
    const project = fake.env.INFISICAL_PROJECT_ID as string;
    const plan = ['plan', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--project-id', project, '--json'];
    // Without the variable, and with another project in it: the flag's project is the one planned for.
    for (const variable of ['', 'another-project']) {
      const run = await provisionWith({ INFISICAL_PROJECT_ID: variable }, plan);
      expect(run.code, variable).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, mode: 'plan' });
    }
    expect(JSON.stringify(fake.requests)).not.toContain('another-project');

    const before = fake.requests.length;
    const malformed = await provision(['plan', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--project-id', 'not a project']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^vault-provision: error: --project-id is not an id/m);
    expect(fake.requests.length).toBe(before);
  });

  it('refuses a broad scope and a secret on the command line with exit 2, before any request', async () => {
    const broad = await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/**']);
    expect(broad.code).toBe(2);
    expect(broad.stderr).toMatch(/too broad/);
    expect(broad.stderr).toMatch(/^vault-provision: error: --scope is too broad/m);
    const flag = await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--client-secret', 'abc']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/not accepted/);
    const missing = await provision(['onboard', '--agent-name', 'x', '--scope', '/MooseQuest/app/**']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^vault-provision: error: --identity-name /m);
    const json = await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/**', '--json']);
    expect(json.code).toBe(2);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, command: 'onboard', error: { code: 'PROVISION_REFUSED', flag: '--scope' } });
    expect(fake.requests).toEqual([]);
  });

  it('verify fails with exit 1 for the over-broad runbook identity and lists the checks', async () => {
    const run = await provision([
      'verify',
      '--identity-name',
      'infisical-identity-mcp-main-loop-trademaster',
      '--agent-name',
      'mcp-ro',
      '--slug',
      'mcp-main-loop-read',
      '--out-of-scope-path',
      '/MooseQuest/cloudflare',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✖ out-of-scope-read: expected 403, got 200/);
    expectNoCanary([]);
  });
});

/** A loopback URL nothing listens on. */
async function stoppedProxyUrl(): Promise<string> {
  const socket = createServer();
  await new Promise<void>((resolve) => socket.listen(0, '127.0.0.1', resolve));
  const { port } = socket.address() as { port: number };
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('vault-provision explains what to fix', () => {
  it('a wrong admin secret: exit 2, names INFISICAL_CLIENT_ID / INFISICAL_CLIENT_SECRET, never the value', async () => {
    await startVault();
    const wrong = 'e'.repeat(64);
    const run = await provisionWith({ INFISICAL_CLIENT_SECRET: wrong }, ['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/INFISICAL_CLIENT_ID \/ INFISICAL_CLIENT_SECRET/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(wrong);
    expectNoCanary([]);
  });

  it('verify --proxy-url with no proxy running: names the proxy and failure mode A', async () => {
    await startVault();
    expect((await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--no-verify'])).code).toBe(0);
    const url = await stoppedProxyUrl();
    const run = await provision(['verify', ...AGENT_FLAGS, '--proxy-url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no answer from the proxy at ${url} (ECONNREFUSED)`);
    expect(run.stderr).toMatch(/failure mode A \(docs\/runbook\.md §Failure mode A\)/);
    expectNoCanary([storedSecret()]);
  });

  it('a server without identity additional privileges: onboard is refused (exit 2) before any change', async () => {
    await startVault({ v2PrivilegeRoutes: false });
    const run = await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/predates identity additional privileges/);
    expect(fake.model.findIdentitiesByName(IDENTITY)).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/login'))).toEqual([]);
  });
});

describe('vault-provision onboard says what comes next', () => {
  it('ends with the exact session command for the identity it made (a field in --json), and that command works for it', async () => {
    await startVault();
    const run = await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--no-verify']);
    expect(run.code).toBe(0);
    const next = /^Next, in the agent's repository \(docs\/runbook\.md §Session start\): (.*)$/m.exec(run.stdout)?.[1];
    expect(next).toBe(`enable-vault-mcp session ${AGENT_FLAGS.join(' ')}`);
    expect(run.stdout.trimEnd().endsWith(next as string)).toBe(true);
    const json = await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--no-verify', '--json']);
    expect(JSON.parse(json.stdout).sessionCommand).toBe(next);
    // Nothing was made by a plan: it names no session.
    const plan = await provision(['plan', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--json']);
    expect(JSON.parse(plan.stdout)).not.toHaveProperty('sessionCommand');

    // The printed flags start a session for that identity: its stored credentials log in and read, through a proxy.
    const flags = (next as string).split(' ').slice(2);
    const option = (flag: string) => flags[flags.indexOf(flag) + 1];
    const repo = mkdtempSync(join(tmpdir(), 'vault-provision-agent-'));
    execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q', repo]);
    const proxy = createProxy({ host: '127.0.0.1', port: 0, logLevel: 'silent' }, fake.env);
    const { port } = await proxy.listen();
    try {
      const env: NodeJS.ProcessEnv = { ...envFor(fake), VAULT_PROXY_PID_FILE: join(scratch, 'none.pid'), GIT_CONFIG_GLOBAL: '/dev/null' };
      delete env.INFISICAL_MCP_CLIENT_ID;
      delete env.INFISICAL_MCP_CLIENT_SECRET;
      const session = await startSession({
        identityName: option('--identity-name'),
        agentName: option('--agent-name'),
        port,
        cwd: repo,
        env,
      });
      expect(session.verify).toEqual({ login: 200, probe: { key: 'DEMO_API_KEY', path: '/MooseQuest/app', status: 200 } });
      expect(session.credentials.clientSecret.reveal()).toBe(storedSecret());
      printed.push(readFileSync(join(repo, '.mcp.json'), 'utf8'), JSON.stringify(session));
    } finally {
      await proxy.close();
      rmSync(repo, { recursive: true, force: true });
    }
    expectNoCanary([storedSecret()]);
  }, 15_000);
});
