import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, httpRequest, killLive, leaks, readOrEmpty, runCli, startCli, tempDir } from './helpers.js';

afterEach(killLive);

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('vault-proxy demo', () => {
  it('runs a fake vault behind the proxy and prints try-lines whose requests all succeed', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    const cli = startCli(['demo', '--port', '0'], cleanEnv({ VAULT_PROXY_PID_FILE: pidFile }));
    await cli.waitFor(/Ctrl-C stops/);
    const out = cli.stdout();

    const envFile = out.match(/set -a; \. '([^']+)'; set \+a/)?.[1] as string;
    const envText = await readOrEmpty(envFile);
    const env = parseEnvFile(envText);
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['INFISICAL_CLIENT_ID', 'INFISICAL_CLIENT_SECRET', 'VAULT_PROBE_KEY']));

    // 1. curl -s <proxy>/api/status
    const base = out.match(/curl -s (http:\/\/127\.0\.0\.1:\d+)\/api\/status/)?.[1] as string;
    expect(base).toBeDefined();
    const status = await httpRequest(`${base}/api/status`);
    expect(status.status).toBe(200);

    // 2. the universal-auth login, with the credentials the line references
    const loginLine = out.split('\n').find((l) => l.includes('/api/v1/auth/universal-auth/login')) as string;
    expect(loginLine).toContain(`${base}/api/v1/auth/universal-auth/login`);
    expect(loginLine).toContain('$INFISICAL_CLIENT_ID');
    expect(loginLine).toContain('$INFISICAL_CLIENT_SECRET');
    const login = await httpRequest(`${base}/api/v1/auth/universal-auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: env.INFISICAL_CLIENT_ID, clientSecret: env.INFISICAL_CLIENT_SECRET }),
    });
    expect(login.status).toBe(200);
    const token = (JSON.parse(login.body) as { accessToken: string }).accessToken;

    // 3. the probe secret read
    const readLine = out.split('\n').find((l) => l.includes('/api/v3/secrets/raw/')) as string;
    expect(readLine).toContain(`"${base}/api/v3/secrets/raw/$VAULT_PROBE_KEY"`);
    expect(readLine).toContain('secretPath=$VAULT_PROBE_PATH');
    const query = new URLSearchParams({
      workspaceId: env.INFISICAL_PROJECT_ID ?? '',
      environment: 'prod',
      secretPath: env.VAULT_PROBE_PATH ?? '',
    });
    const read = await httpRequest(`${base}/api/v3/secrets/raw/${env.VAULT_PROBE_KEY}?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ secret: { secretKey: env.VAULT_PROBE_KEY } });

    const pidFileText = await readOrEmpty(pidFile);
    expect(JSON.parse(pidFileText)).toMatchObject({ pid: cli.child.pid, url: base });
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
    expect(await readOrEmpty(pidFile)).toBe('');
    // The fake credentials die with the fake vault.
    expect(existsSync(envFile)).toBe(false);

    const secrets = [env.CF_ACCESS_CLIENT_SECRET, env.INFISICAL_CLIENT_SECRET, env.INFISICAL_MCP_CLIENT_SECRET, token];
    expect(secrets.every((s) => typeof s === 'string' && s.length > 8)).toBe(true);
    expect(leaks(secrets as string[], { stdout: cli.stdout(), stderr: cli.stderr(), pidFile: pidFileText })).toEqual([]);
  });

  it('takes the proxy log format and level as flags, and refuses a bad one naming the flag', async () => {
    const cli = startCli(
      ['demo', '--port', '0', '--log-format', 'json'],
      cleanEnv({ VAULT_PROXY_PID_FILE: join(await tempDir(), 'p.pid') }),
    );
    await cli.waitFor(/Ctrl-C stops/);
    const base = cli.stdout().match(/curl -s (http:\/\/127\.0\.0\.1:\d+)\/api\/status/)?.[1] as string;
    expect((await httpRequest(`${base}/api/status`)).status).toBe(200);
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
    const lines = cli.stderr().trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ msg: 'request', method: 'GET', path: '/api/status', status: 200 }));
    expect(records).toContainEqual(expect.objectContaining({ msg: 'vault-proxy listening' }));

    const bad = await runCli(
      ['demo', '--port', '0', '--log-level', 'loud'],
      cleanEnv({ VAULT_PROXY_PID_FILE: join(await tempDir(), 'p.pid') }),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--log-level');
    expect(bad.stdout).not.toContain('Ctrl-C stops');
  });

  it('exits 3 naming the port when it is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const run = await runCli(['demo', '--port', String(port)], cleanEnv({ VAULT_PROXY_PID_FILE: join(await tempDir(), 'p.pid') }));
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(`Port ${port}`);
      expect(run.stderr).toContain(`pid ${process.pid}`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('on SIGTERM removes its env file too; a relative --write-env is where the operator typed the command', async () => {
    const typedIn = await tempDir();
    const pnpm = { INIT_CWD: typedIn, npm_package_json: join(process.cwd(), 'package.json') };
    const cli = startCli(
      ['demo', '--port', '0', '--write-env', 'demo.env'],
      cleanEnv({ VAULT_PROXY_PID_FILE: join(typedIn, 'p.pid'), ...pnpm }),
    );
    await cli.waitFor(/Ctrl-C stops/);
    const envFile = join(typedIn, 'demo.env');
    expect(cli.stdout()).toContain(`env file  ${envFile} (mode 0600`);
    expect(existsSync(envFile)).toBe(true);
    cli.child.kill('SIGTERM');
    expect(await cli.exited()).toBe(0);
    expect(existsSync(envFile)).toBe(false);
  });

  it('listens on VAULT_PROXY_PORT when no --port is given', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    await new Promise((resolve) => holder.close(resolve));
    const dir = await tempDir();
    const cli = startCli(['demo'], cleanEnv({ VAULT_PROXY_PID_FILE: join(dir, 'p.pid'), VAULT_PROXY_PORT: String(port) }));
    await cli.waitFor(/Ctrl-C stops/);
    expect(cli.stdout()).toContain(`curl -s http://127.0.0.1:${port}/api/status`);
    cli.child.kill('SIGINT');
    expect(await cli.exited()).toBe(0);
  });
});
