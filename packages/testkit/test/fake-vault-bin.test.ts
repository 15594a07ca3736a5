import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAKE_VAULT_ENV_KEYS } from './support/fake-vault-env.js';
import { useTempDir } from './support/temp-dir.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'fake-vault.js');

interface Running {
  child: ChildProcess;
  ready: Promise<string>;
  output: () => { stdout: string; stderr: string };
  exit: Promise<number | null>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve(line);
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    exit.then((code) => reject(new Error(`fake-vault exited early (${code}): ${stderr}`)));
  });
  return { child, ready, exit, output: () => ({ stdout, stderr }) };
}

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

const tempDir = useTempDir('fake-vault-bin-');

/** Where the env file says the served vault is, and the headers the proxy would send it. */
async function servedVault(env: Record<string, string | undefined>) {
  const [host, port] = (env.VAULT_PROXY_CONNECT_TO ?? '').split(':');
  const fake = {
    origin: env.VAULT_PROXY_UPSTREAM ?? '',
    host: host ?? '',
    port: Number(port),
    caCert: await readFile(env.VAULT_PROXY_CA_FILE ?? '', 'utf8'),
  };
  const headers = {
    'user-agent': 'raxx-vault-proxy/1.0',
    'cf-access-client-id': env.CF_ACCESS_CLIENT_ID ?? '',
    'cf-access-client-secret': env.CF_ACCESS_CLIENT_SECRET ?? '',
  };
  return { fake, headers };
}

describe('the fake-vault bin', () => {
  it('serves, writes the env file (0600), prints one ready line without secrets, and stops on SIGTERM', async () => {
    expect(existsSync(BIN), 'run `npx tsup` first: the bin is spawned from dist/').toBe(true);
    const envFile = join(tempDir(), 'vault.env');
    // Node 20 parses `--env-file` itself anywhere in argv and exits when the file is missing; an existing file is fine.
    await writeFile(envFile, '');
    const proc = run(['--env-file', envFile, '--fail', 'POST /api/v1/identities=500x2', '--latency', '1', '--reset', 'GET /api/nothing']);
    const line = await proc.ready;
    expect(line).toMatch(/^fake-vault ready https:\/\/vault\.raxx\.app via 127\.0\.0\.1:\d+ ca=\S+ env=\S+$/);

    const env = parseEnv(await readFile(envFile, 'utf8'));
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    expect(Object.keys(env).sort()).toEqual([...FAKE_VAULT_ENV_KEYS]);
    expect(line).toContain(`via ${env.VAULT_PROXY_CONNECT_TO}`);
    expect(existsSync(env.VAULT_PROXY_CA_FILE ?? '')).toBe(true);

    // The served vault answers with the credentials from the env file.
    const { requestVault } = await import('./support/vault-client.js');
    const { fake, headers } = await servedVault(env);
    const status = await requestVault(fake, 'GET', '/api/status', { headers });
    expect(status.status).toBe(200);
    const login = await requestVault(fake, 'POST', '/api/v1/auth/universal-auth/login', {
      headers,
      body: { clientId: env.INFISICAL_CLIENT_ID, clientSecret: env.INFISICAL_CLIENT_SECRET },
    });
    const token = JSON.parse(login.text).accessToken;
    const create = () =>
      requestVault(fake, 'POST', '/api/v1/identities', {
        headers: { ...headers, authorization: `Bearer ${token}` },
        body: { name: 'cli-fault', organizationId: crypto.randomUUID() },
      });
    expect((await create()).status).toBe(500);
    expect((await create()).status).toBe(500);
    expect((await create()).status).toBe(403); // the faults are spent; the foreign org is refused
    await expect(requestVault(fake, 'GET', '/api/nothing', { headers })).rejects.toMatchObject({ code: 'ECONNRESET' });

    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
    expect(existsSync(env.VAULT_PROXY_CA_FILE ?? '')).toBe(false);
    const { stdout, stderr } = proc.output();
    expect(stdout.trim().split('\n')).toHaveLength(1);
    for (const key of [
      'CF_ACCESS_CLIENT_ID',
      'CF_ACCESS_CLIENT_SECRET',
      'INFISICAL_CLIENT_SECRET',
      'INFISICAL_MCP_CLIENT_SECRET',
      'INFISICAL_CLIENT_ID',
    ]) {
      const value = env[key] ?? '';
      expect(value.length).toBeGreaterThan(8);
      expect(stdout).not.toContain(value);
      expect(stderr).not.toContain(value);
    }
  });

  it('accepts --write-env for a file that does not exist yet, and stops on SIGINT', async () => {
    const envFile = join(tempDir(), 'fresh.env');
    const proc = run(['--write-env', envFile]);
    await proc.ready;
    expect(parseEnv(await readFile(envFile, 'utf8')).VAULT_PROBE_KEY).toBe('DEMO_API_KEY');
    proc.child.kill('SIGINT');
    expect(await proc.exit).toBe(0);
  });

  it('--server-profile legacy answers as an older build; --no-privilege-routes drops the v2 privilege routes', async () => {
    const envFile = join(tempDir(), 'legacy.env');
    const proc = run(['--write-env', envFile, '--server-profile', 'legacy', '--no-privilege-routes', '--permission-cache-ms', '10000']);
    await proc.ready;
    const env = parseEnv(await readFile(envFile, 'utf8'));
    const { requestVault } = await import('./support/vault-client.js');
    const { fake, headers } = await servedVault(env);
    const login = await requestVault(fake, 'POST', '/api/v1/auth/universal-auth/login', {
      headers,
      body: { clientId: env.INFISICAL_CLIENT_ID, clientSecret: env.INFISICAL_CLIENT_SECRET },
    });
    const auth = { ...headers, authorization: `Bearer ${JSON.parse(login.text).accessToken}` };
    const list = await requestVault(
      fake,
      'GET',
      `/api/v3/secrets/raw?workspaceId=${env.INFISICAL_PROJECT_ID}&environment=prod&secretPath=/Nowhere`,
      { headers: auth },
    );
    expect(JSON.parse(list.text)).toEqual({ secrets: [], imports: [] }); // legacy: a missing folder lists empty
    const privilege = await requestVault(fake, 'GET', '/api/v2/identity-project-additional-privilege/slug/x', { headers: auth });
    expect(JSON.parse(privilege.text)).toMatchObject({ statusCode: 404, error: 'Not Found' });
    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('refuses an unknown --server-profile', async () => {
    const proc = run(['--server-profile', 'ancient']);
    await expect(proc.ready).rejects.toThrow(/exited early/);
    expect(proc.output().stderr).toMatch(/server-profile/);
  });

  it('exits 2 on a malformed fault flag', async () => {
    const proc = run(['--fail', 'nonsense']);
    await expect(proc.ready).rejects.toThrow(/exited early \(2\)/);
    expect(proc.output().stderr).toContain('--fail');
  });
});
