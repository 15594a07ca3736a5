import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isVaultProxyProcess } from '@raxx/vault-proxy/process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { canaries, cleanEnv, httpRequest, leaks, proxyEnv, readOrEmpty, runCli, tempDir } from './helpers.js';
import { useFakeVault, useStrayProxies } from './vault-fixture.js';

const fake = useFakeVault();
const strays = useStrayProxies();

describe('vault-proxy start --detach, status, stop', () => {
  it('runs in the background, reports its status, and stops', async () => {
    const dir = await tempDir();
    const pidFile = join(dir, 'vault-proxy.pid');
    const env = proxyEnv(fake(), pidFile);

    const started = await runCli(['start', '--detach'], env);
    expect(started.code).toBe(0);
    const [, pid, url] = started.stdout.match(/pid (\d+), (http:\/\/127\.0\.0\.1:\d+) → https:\/\/vault\.raxx\.app/) ?? [];
    expect(pid).toBeDefined();
    strays.push(Number(pid));
    const pidFileText = await readOrEmpty(pidFile);
    expect(JSON.parse(pidFileText)).toMatchObject({ pid: Number(pid), url });
    expect((await httpRequest(`${url}/api/status`)).status).toBe(200);

    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`running (pid ${pid}) at ${url}`);
    expect(status.stdout).toContain('/api/status through the proxy: 200');
    expect(status.stdout).toContain('access-token renewal: on; 0 identities held in memory, 0 renewals');

    const json = await runCli(['status', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ running: true, pid: Number(pid), health: 'ok', apiStatus: { status: 200 } });
    expect(JSON.parse(json.stdout).tokenRenewal).toEqual({ enabled: true, identities: 0, renewals: 0 });

    const stopped = await runCli(['stop'], env);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped vault-proxy pid ${pid}`);
    expect(isVaultProxyProcess(Number(pid))).toBe(false);
    expect(await readOrEmpty(pidFile)).toBe('');

    const after = await runCli(['status'], env);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('not running');

    const log = await readOrEmpty(join(dir, 'vault-proxy.log'));
    expect(log).toContain('GET /api/status 200');
    const outputs = {
      started: started.stdout + started.stderr,
      status: status.stdout,
      json: json.stdout,
      stopped: stopped.stdout,
      log,
      pidFileText,
    };
    expect(leaks(canaries(fake()), outputs)).toEqual([]);
  });

  it('reports a detached start on a taken port with exit 3', async () => {
    const dir = await tempDir();
    const first = await runCli(['start', '--detach', '--json'], proxyEnv(fake(), join(dir, 'a.pid')));
    const { pid, port } = JSON.parse(first.stdout) as { pid: number; port: number };
    strays.push(pid);
    const second = await runCli(['start', '--detach', '--port', String(port)], proxyEnv(fake(), join(dir, 'b.pid')));
    expect(second.code).toBe(3);
    // The real error, first and alone: not "the detached proxy exited", and no second proxy was spawned.
    expect(second.stderr.split('\n')[0]).toBe(
      `vault-proxy: error: Port ${port} on 127.0.0.1 is already in use by another vault-proxy (pid ${pid}) (failure mode A, docs/runbook.md §Failure mode A).`,
    );
    expect(second.stderr).toContain(`fix: Stop it with \`vault-proxy stop --port ${port}\``);
    expect(second.stderr).not.toContain('exited');
    expect(await readOrEmpty(join(dir, 'b.log'))).toBe('');
    expect(leaks(canaries(fake()), { stderr: second.stderr, log: await readOrEmpty(join(dir, 'b.log')) })).toEqual([]);
    expect((await runCli(['stop', '--pid-file', join(dir, 'a.pid')], cleanEnv())).code).toBe(0);
  });

  it('stop refuses a pid that is not a vault-proxy and signals nothing', async () => {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    onTestFinished(() => {
      sleeper.kill('SIGKILL');
    });
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    const content = {
      pid: sleeper.pid,
      host: '127.0.0.1',
      port: 9,
      url: 'http://127.0.0.1:9',
      upstream: 'https://vault.raxx.app',
      startedAt: '',
    };
    await writeFile(pidFile, JSON.stringify(content));
    const run = await runCli(['stop'], cleanEnv({ VAULT_PROXY_PID_FILE: pidFile }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`pid ${sleeper.pid}, which is not a vault-proxy`);
    expect(sleeper.exitCode).toBeNull();
    expect(() => process.kill(sleeper.pid as number, 0)).not.toThrow();
  });

  it('stop with nothing running says so and succeeds; status --json says not running and exits 1', async () => {
    const pidFile = join(await tempDir(), 'none.pid');
    const env = cleanEnv({ VAULT_PROXY_PID_FILE: pidFile, VAULT_PROXY_PORT: '9' });
    const stop = await runCli(['stop'], env);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('not running');
    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false, health: 'unreachable', pidFile });
  });

  it('stop on a pid file that is not one says so (not "no pid file") and leaves it', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    await writeFile(pidFile, 'not a pid file');
    const run = await runCli(['stop'], cleanEnv({ VAULT_PROXY_PID_FILE: pidFile, VAULT_PROXY_PORT: '9' }));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`not running: ${pidFile} is not a vault-proxy pid file (left as it is`);
    expect(run.stdout).not.toContain('no pid file');
    expect(await readOrEmpty(pidFile)).toBe('not a pid file');
  });

  it("the detached proxy's log says how to stop it, not Ctrl-C (nobody is at its terminal)", async () => {
    const dir = await tempDir();
    const started = await runCli(['start', '--detach', '--json'], proxyEnv(fake(), join(dir, 'vault-proxy.pid')));
    const { pid, port, logFile } = JSON.parse(started.stdout) as { pid: number; port: number; logFile: string };
    strays.push(pid);
    const log = await readOrEmpty(logFile);
    expect(log).toMatch(new RegExp(`vault-proxy ready: .* \\(pid ${pid}; in the background; stop: vault-proxy stop --port ${port}\\)`));
    expect(log).not.toContain('Ctrl-C');
    expect((await runCli(['stop', '--pid-file', join(dir, 'vault-proxy.pid')], cleanEnv())).code).toBe(0);
  });

  it('takes a relative --pid-file from where the operator typed the command (INIT_CWD under pnpm), and prints it absolute', async () => {
    const typedIn = await tempDir();
    // As `pnpm --filter cli run start …` runs it: in the package folder, saying where it was typed.
    const pnpm = { INIT_CWD: typedIn, npm_package_json: join(process.cwd(), 'package.json') };
    const env = proxyEnv(fake(), join(typedIn, 'unused.pid'), pnpm);
    delete env.VAULT_PROXY_PID_FILE;
    const started = await runCli(['start', '--detach', '--pid-file', 'mine.pid'], env);
    expect(started.code).toBe(0);
    const pid = Number(started.stdout.match(/pid (\d+)/)?.[1]);
    strays.push(pid);
    expect(started.stdout).toContain(`stop: vault-proxy stop --port `);
    expect(started.stdout).toContain(`--pid-file ${join(typedIn, 'mine.pid')}`);
    expect(JSON.parse(await readOrEmpty(join(typedIn, 'mine.pid')))).toMatchObject({ pid });
    const stopped = await runCli(['stop', '--pid-file', 'mine.pid'], env);
    expect(stopped.stdout).toContain(`stopped vault-proxy pid ${pid}`);
  });
});
