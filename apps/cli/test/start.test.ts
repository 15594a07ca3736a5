import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, canaries, cleanEnv, httpRequest, killLive, leaks, proxyEnv, readOrEmpty, runCli, startCli, tempDir } from './helpers.js';
import { useFakeVault } from './vault-fixture.js';

const fake = useFakeVault();
afterEach(killLive);

const READY = /vault-proxy ready: (http:\/\/127\.0\.0\.1:(\d+)) → (\S+)/;

describe('vault-proxy start (foreground)', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serves until ${signal}, then shuts down gracefully, removes its pid file and exits 0`, async () => {
      const pidFile = join(await tempDir(), 'vault-proxy.pid');
      const cli = startCli(['start'], proxyEnv(fake(), pidFile));
      const [, url, port, upstream] = await cli.waitFor(READY);
      expect(upstream).toBe('https://vault.raxx.app');

      const pid = JSON.parse(await readOrEmpty(pidFile)) as Record<string, unknown>;
      expect(pid).toMatchObject({ pid: cli.child.pid, host: '127.0.0.1', port: Number(port), url, upstream: 'https://vault.raxx.app' });

      const status = await httpRequest(`${url}/api/status`);
      expect(status.status).toBe(200);
      expect(JSON.parse(status.body)).toMatchObject({ message: 'Ok' });
      const pidFileText = await readOrEmpty(pidFile);

      cli.child.kill(signal);
      expect(await cli.exited()).toBe(0);
      expect(await readOrEmpty(pidFile)).toBe('');
      expect(leaks(canaries(fake()), { stdout: cli.stdout(), stderr: cli.stderr(), pidFile: pidFileText })).toEqual([]);
    });
  }

  it('runs from its one CommonJS file: no other program file, no package resolution, no ES-module loader', async () => {
    // Why it matters: idle RSS after start is a product target (BENCHMARKS.md step 13, apps/cli/tsup.config.ts).
    const dir = await tempDir();
    const probe = join(dir, 'loaded.cjs');
    const report = join(dir, 'loaded.json');
    await writeFile(
      probe,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList })));\n`,
    );
    const cli = startCli(['start'], proxyEnv(fake(), join(dir, 'vault-proxy.pid'), { NODE_OPTIONS: `--require ${probe}` }));
    const [, url] = await cli.waitFor(READY);
    expect((await httpRequest(`${url}/api/status`)).status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited()).toBe(0);
    const loaded = JSON.parse(await readOrEmpty(report)) as { files: string[]; builtins: string[] };
    expect(loaded.files).toEqual([probe, BIN]);
    expect(loaded.builtins).toContain('NativeModule tls');
    expect(loaded.builtins.filter((m) => /modules\/esm\/(module_job|resolve)$/.test(m))).toEqual([]);
  });

  it('exits 3 when the port is taken, naming the port and the process holding it', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const pidFile = join(await tempDir(), 'vault-proxy.pid');
      const run = await runCli(['start', '--port', String(port)], proxyEnv(fake(), pidFile));
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(`Port ${port}`);
      expect(run.stderr).toContain(`pid ${process.pid}`);
      expect(run.stderr).toContain('VAULT_PROXY_PORT');
      expect(await readOrEmpty(pidFile)).toBe('');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('exits 2 naming CF_ACCESS_CLIENT_ID when it is missing', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    const env = proxyEnv(fake(), pidFile);
    delete env.CF_ACCESS_CLIENT_ID;
    const run = await runCli(['start'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CF_ACCESS_CLIENT_ID');
    expect(leaks(canaries(fake()), { stdout: run.stdout, stderr: run.stderr })).toEqual([]);
  });

  it('exits 2 naming VAULT_PROXY_PORT, or --port, when the port is invalid', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    const fromEnv = await runCli(['start'], proxyEnv(fake(), pidFile, { VAULT_PROXY_PORT: 'twenty' }));
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('VAULT_PROXY_PORT');
    expect(fromEnv.stderr).not.toContain('twenty');
    const fromFlag = await runCli(['start', '--port', '70000'], proxyEnv(fake(), pidFile));
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toContain('--port');
  });

  it('refuses the Cloudflare secret as a flag (argv is visible in ps) without echoing it', async () => {
    const secret = 'argv-canary-7d1e0b';
    const run = await runCli(['start', `--cf-access-client-secret=${secret}`], cleanEnv({ CF_ACCESS_CLIENT_ID: 'id' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CF_ACCESS_CLIENT_SECRET');
    expect(run.stdout + run.stderr).not.toContain(secret);
  });
});
