import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeVault, startFakeVault } from '@raxx/vault-testkit';
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

beforeEach(async () => {
  fake = await startFakeVault({ port: 0 });
  scratch = mkdtempSync(join(tmpdir(), 'vault-provision-'));
  printed.length = 0;
});
afterEach(async () => {
  await fake.close();
});

/** The process environment without anything vault-related, plus what the fake vault hands out. */
function envFor(vault: FakeVault): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(VAULT_|CF_ACCESS_|INFISICAL_)/.test(key)) env[key] = value;
  return { ...env, ...vault.env };
}

async function provision(args: readonly string[]): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { env: envFor(fake), stdio: ['ignore', 'pipe', 'pipe'] });
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

describe('vault-provision (spawned, against a fake vault)', () => {
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
  });

  it('a failed rotation says why, exits 1, keeps the stored secret, and leaks nothing', async () => {
    expect((await provision(['onboard', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--no-verify'])).code).toBe(0);
    const before = storedSecret();
    fake.faults.add({ method: 'PATCH', path: '/api/v3/secrets/raw/CANARY_AGENT_CLIENT_SECRET', status: 500, times: 1 });
    const run = await provision(['rotate', ...AGENT_FLAGS]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^✖ 5\. Issue, store and prove a new client secret \(runbook Step 5\) — failed: Storing the new client secret failed .* was revoked/m,
    );
    expect(run.stderr).toMatch(/^vault-provision: error: Step 5/m);
    expect(storedSecret()).toBe(before);
    expectNoCanary([before]);
  });

  it('plan --json reports would-do and changes nothing', async () => {
    const run = await provision(['plan', ...AGENT_FLAGS, '--scope', '/MooseQuest/app/**', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { ok: boolean; mode: string; steps: { id: string; status: string }[] };
    expect(json).toMatchObject({ ok: true, mode: 'plan' });
    expect(json.steps.find((s) => s.id === 'identity')?.status).toBe('would-do');
    expect(fake.model.findIdentitiesByName(IDENTITY)).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/login'))).toEqual([]);
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
