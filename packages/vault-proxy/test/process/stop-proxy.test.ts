import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultProxyError } from '../../src/errors.js';
import { readPidFile, stopProxy } from '../../src/process/index.js';
import { killChildren, spawnFixture, spawnSleep } from '../support/stand-in-proxy.js';
import { deadPid, exited, pidFileFor, tempDir } from './helpers.js';

afterEach(killChildren);

describe('stopProxy', () => {
  it('stops a running vault-proxy with SIGTERM and removes its pid file', async () => {
    const { child, port } = await spawnFixture();
    const pidFile = await pidFileFor(child.pid as number, port);
    const result = await stopProxy({ pidFile });
    expect(result).toEqual({ stopped: true, pid: child.pid, reason: 'stopped', pidFile });
    expect(await exited(child)).toBe(0);
    expect(await readPidFile(pidFile)).toBeUndefined();
  });

  it('uses SIGKILL when the proxy does not exit in time', async () => {
    const { child, port } = await spawnFixture({ FIXTURE_MODE: 'ignore-term' });
    const pidFile = await pidFileFor(child.pid as number, port);
    const result = await stopProxy({ pidFile, timeoutMs: 300 });
    expect(result).toMatchObject({ stopped: true, pid: child.pid, reason: 'killed' });
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');
    expect(await readPidFile(pidFile)).toBeUndefined();
  });

  it('refuses to signal a pid that is not a vault-proxy', async () => {
    const sleeper = spawnSleep();
    const pidFile = await pidFileFor(sleeper.pid as number);
    const error = await stopProxy({ pidFile }).catch((e: unknown) => e);
    expect(isVaultProxyError(error, 'PID_NOT_VAULT_PROXY')).toBe(true);
    expect((error as Error).message).toContain(String(sleeper.pid));
    expect(sleeper.exitCode).toBeNull();
    expect(sleeper.signalCode).toBeNull();
    expect(() => process.kill(sleeper.pid as number, 0)).not.toThrow();
    expect(await readPidFile(pidFile)).toBeDefined();
  });

  it('removes and reports a stale pid file', async () => {
    const pid = await deadPid();
    const pidFile = await pidFileFor(pid);
    expect(await stopProxy({ pidFile })).toEqual({ stopped: false, pid, reason: 'stale-pid-file', pidFile });
    expect(await readPidFile(pidFile)).toBeUndefined();
  });

  it('without a pid file stops the vault-proxy holding the port, and reports nothing to stop otherwise', async () => {
    const { child, port } = await spawnFixture();
    const pidFile = join(await tempDir(), 'none.pid');
    expect(await stopProxy({ pidFile, port })).toMatchObject({ stopped: true, pid: child.pid, reason: 'stopped' });
    expect(await exited(child)).toBe(0);
    expect(await stopProxy({ pidFile, port })).toEqual({ stopped: false, reason: 'not-running', pidFile });
  });

  it('says a pid file that is not one is not one (not "no pid file"), and leaves it', async () => {
    const pidFile = join(await tempDir(), 'vault-proxy.pid');
    await writeFile(pidFile, 'garbage');
    const { port } = await freePortFor();
    expect(await stopProxy({ pidFile, port })).toEqual({ stopped: false, reason: 'invalid-pid-file', pidFile });
    expect(await readFile(pidFile, 'utf8')).toBe('garbage');
  });

  it('names VAULT_PROXY_PORT when it is invalid', async () => {
    const error = await stopProxy({ env: { VAULT_PROXY_PORT: 'http' } }).catch((e: unknown) => e);
    expect(isVaultProxyError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('VAULT_PROXY_PORT');
  });

  it('refuses a timeout that is not a whole number, before signalling anything', async () => {
    const { child, port } = await spawnFixture();
    const pidFile = await pidFileFor(child.pid as number, port);
    const error = await stopProxy({ pidFile, timeoutMs: Number.NaN }).catch((e: unknown) => e);
    expect(isVaultProxyError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('timeoutMs');
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
  });
});

/** A port nothing listens on (bound once, then released). */
async function freePortFor(): Promise<{ port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return { port };
}
