import { stat } from 'node:fs/promises';
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
});
