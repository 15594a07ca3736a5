import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isVaultProxyProcess } from '@raxx/vault-proxy/process';
import { afterEach, describe, expect, it } from 'vitest';
import { canaries, freePort, killLive, type LiveCli, leaks, proxyEnv, readOrEmpty, runCli, startCli, tempDir } from './helpers.js';
import { useFakeVault, useStrayProxies } from './vault-fixture.js';

// `vault-proxy start` asks /api/status through itself once it listens and warns (still exit 0, still running)
// when Cloudflare refuses its token (failure mode B) or the vault is unreachable.
const fake = useFakeVault();
const strays = useStrayProxies();
afterEach(killLive);

const READY = /vault-proxy ready: (http:\/\/127\.0\.0\.1:(\d+))/;
const WRONG_CF_SECRET = 'wrong-cf-token-canary-1d2c3b4a5f6e';

/** Resolves once `read()` matches, or fails after `ms`. */
async function eventually(read: () => string, pattern: RegExp, ms = 15_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pattern.test(read())) return read();
    await sleep(50);
  }
  throw new Error(`never matched ${pattern}: ${read()}`);
}

function secrets(): string[] {
  return [...canaries(fake()), WRONG_CF_SECRET];
}

/** Stop a foreground proxy and expect a clean exit. */
async function stop(cli: LiveCli): Promise<void> {
  cli.child.kill('SIGTERM');
  expect(await cli.exited()).toBe(0);
}

describe('vault-proxy start (foreground) asks the vault through itself once it listens', () => {
  it('warns naming failure mode B when Cloudflare refuses its token, and keeps serving', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    const cli = startCli(['start'], proxyEnv(fake(), pidFile, { CF_ACCESS_CLIENT_SECRET: WRONG_CF_SECRET }));
    await cli.waitFor(READY);
    const stderr = await eventually(cli.stderr, /vault-proxy: warning: .*failure mode B/);
    expect(stderr).toContain('vault-proxy: warning: GET /api/status through the proxy → 403 CF_ACCESS_DENIED');
    expect(stderr).toContain('CF_ACCESS_CLIENT_SECRET');
    expect(cli.child.exitCode).toBeNull();
    await stop(cli);
    expect(leaks(secrets(), { stdout: cli.stdout(), stderr: cli.stderr() })).toEqual([]);
  });

  it('warns that the vault is unreachable (502) when its host does not answer', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    const env = proxyEnv(fake(), pidFile, { VAULT_PROXY_CONNECT_TO: `127.0.0.1:${await freePort()}` });
    const cli = startCli(['start'], env);
    await cli.waitFor(READY);
    const stderr = await eventually(cli.stderr, /vault-proxy: warning: .*unreachable/);
    expect(stderr).toContain('→ 502 UPSTREAM_UNREACHABLE');
    expect(stderr).not.toContain('failure mode B');
    expect(cli.child.exitCode).toBeNull();
    await stop(cli);
    expect(leaks(secrets(), { stdout: cli.stdout(), stderr: cli.stderr() })).toEqual([]);
  });

  it('says nothing more when the vault answers 200', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    const cli = startCli(['start'], proxyEnv(fake(), pidFile));
    await cli.waitFor(READY);
    // The access line (on stderr, with the log) of its own /api/status probe: the probe is answered.
    await eventually(cli.stderr, /GET \/api\/status 200/);
    await sleep(200);
    expect(cli.stderr()).not.toContain('warning');
    await stop(cli);
  });
});

describe('vault-proxy start --detach warns the invoking terminal', () => {
  it('names failure mode B on stderr and in --json, exits 0 and leaves the proxy running', async () => {
    const dir = await tempDir();
    const env = proxyEnv(fake(), join(dir, 'vault-proxy.pid'), { CF_ACCESS_CLIENT_SECRET: WRONG_CF_SECRET });
    const text = await runCli(['start', '--detach'], env);
    expect(text.code).toBe(0);
    const pid = Number(text.stdout.match(/started in the background: pid (\d+)/)?.[1]);
    strays.push(pid);
    expect(text.stderr).toContain('vault-proxy: warning: GET /api/status through the proxy → 403 CF_ACCESS_DENIED');
    expect(text.stderr).toContain('failure mode B');
    expect(isVaultProxyProcess(pid)).toBe(true);
    expect((await runCli(['stop'], env)).code).toBe(0);

    const json = await runCli(['start', '--detach', '--json'], env);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { pid: number; vault: Record<string, unknown>; warnings: string[] };
    strays.push(result.pid);
    expect(result.vault).toMatchObject({ state: 'cloudflare-refused', failureMode: 'B', httpStatus: 403 });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('failure mode B');
    expect(json.stderr).toContain('failure mode B');
    expect(isVaultProxyProcess(result.pid)).toBe(true);
    const log = await readOrEmpty(join(dir, 'vault-proxy.log'));
    expect((await runCli(['stop'], env)).code).toBe(0);
    const outputs = { text: text.stdout + text.stderr, json: json.stdout + json.stderr, log };
    expect(leaks(secrets(), outputs)).toEqual([]);
  });

  it('warns that the vault is unreachable; all good → no warning and an empty warnings list', async () => {
    const dir = await tempDir();
    const unreachable = proxyEnv(fake(), join(dir, 'a.pid'), { VAULT_PROXY_CONNECT_TO: `127.0.0.1:${await freePort()}` });
    const bad = await runCli(['start', '--detach'], unreachable);
    expect(bad.code).toBe(0);
    strays.push(Number(bad.stdout.match(/pid (\d+)/)?.[1]));
    expect(bad.stderr).toContain('→ 502 UPSTREAM_UNREACHABLE');
    expect((await runCli(['stop'], unreachable)).code).toBe(0);

    const good = proxyEnv(fake(), join(dir, 'b.pid'));
    const fine = await runCli(['start', '--detach', '--json'], good);
    expect(fine.code).toBe(0);
    const result = JSON.parse(fine.stdout) as { pid: number; vault: Record<string, unknown>; warnings: string[] };
    strays.push(result.pid);
    expect(fine.stderr).toBe('');
    expect(result.vault).toMatchObject({ state: 'reachable', ok: true });
    expect(result.warnings).toEqual([]);
    expect((await runCli(['stop'], good)).code).toBe(0);
    expect(leaks(secrets(), { bad: bad.stdout + bad.stderr, fine: fine.stdout })).toEqual([]);
  });
});
