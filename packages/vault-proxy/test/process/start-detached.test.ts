import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultProxyError } from '../../src/errors.js';
import { getProxyStatus, isVaultProxyProcess, startDetached, stopProxy } from '../../src/process/index.js';
import { FIXTURE } from '../support/stand-in-proxy.js';
import { tempDir } from './helpers.js';

// Killed only while still a vault-proxy: a pid may be reused once the child is gone.
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) if (isVaultProxyProcess(pid)) process.kill(pid, 'SIGKILL');
});

describe('startDetached', () => {
  it('returns once the child has written its pid file and answers its health endpoint', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy-0.pid');
    const proxy = await startDetached({ args: [FIXTURE], pidFile, env: { ...process.env, FIXTURE_PID_FILE: pidFile } });
    started.push(proxy.pid);
    expect(proxy).toMatchObject({ pidFile, logFile: pidFile.replace(/\.pid$/, '.log'), upstream: 'https://vault.example' });
    expect((await stat(proxy.logFile)).mode & 0o777).toBe(0o600);
    expect(await getProxyStatus({ pidFile })).toMatchObject({ running: true, pid: proxy.pid, health: 'ok' });
    expect(await stopProxy({ pidFile })).toMatchObject({ stopped: true, pid: proxy.pid });
  });

  it("reports a child that exits early with its exit code's meaning and its log tail, scrubbed", async () => {
    const pidFile = join(await tempDir(), 'p.pid');
    const canary = 'canary-5f2a9c';
    const error = await startDetached({
      args: [FIXTURE],
      pidFile,
      env: { ...process.env, FIXTURE_MODE: 'fail', FIXTURE_SAY: `port taken ${canary}` },
      redact: [canary],
    }).catch((e: unknown) => e);
    expect(isVaultProxyError(error, 'PORT_IN_USE')).toBe(true);
    expect((error as Error).message).toContain('exited with code 3');
    expect((error as Error).message).toContain('cannot start: port taken [redacted]');
    expect((error as Error).message).not.toContain(canary);
  });

  it('refuses a taken listen port before spawning anything, with the error the child would give (the holder named)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const dir = await tempDir();
      const marker = join(dir, 'spawned');
      const error = await startDetached({
        args: ['-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x')`],
        pidFile: join(dir, 'p.pid'),
        listen: { host: '127.0.0.1', port },
      }).catch((e: unknown) => e);
      expect(isVaultProxyError(error, 'PORT_IN_USE')).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use by pid ${process.pid} `));
      expect((error as Error).message).not.toContain('exited');
      expect(existsSync(marker)).toBe(false);
    } finally {
      holder.close();
    }
  });

  it("reports the child's own error and fix (as its CLI printed them), not just that it exited", async () => {
    const pidFile = join(await tempDir(), 'p.pid');
    const say =
      "process.stderr.write('vault-proxy: error: --upstream must be an https URL.\\n  fix: Pass https://vault.raxx.app.\\n'); process.exit(2)";
    const error = await startDetached({ args: ['-e', say], pidFile }).catch((e: unknown) => e);
    expect(isVaultProxyError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(
      /^--upstream must be an https URL\. \(the detached proxy exited with code 2; log: .*p\.log\)$/,
    );
    expect((error as { details: { hint?: string } }).details.hint).toBe('Pass https://vault.raxx.app.');
  });
});
