import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getProxyStatus } from '../../src/process/index.js';
import { killChildren, spawnFixture } from '../support/stand-in-proxy.js';
import { deadPid, pidFileFor, tempDir } from './helpers.js';

afterEach(killChildren);

describe('getProxyStatus', () => {
  it('reports a running proxy, where it is, and /api/status through it', async () => {
    const { child, port } = await spawnFixture();
    const pidFile = await pidFileFor(child.pid as number, port);
    expect(await getProxyStatus({ pidFile })).toEqual({
      running: true,
      pid: child.pid,
      url: `http://127.0.0.1:${port}`,
      upstream: 'https://vault.example',
      pidFile,
      stalePidFile: false,
      health: 'ok',
      apiStatus: { status: 200, cloudflare: false },
      vault: expect.objectContaining({ state: 'reachable', ok: true, httpStatus: 200 }),
    });
  });

  it('marks a Cloudflare answer to /api/status', async () => {
    const { child, port } = await spawnFixture({ FIXTURE_API_STATUS: '403' });
    const status = await getProxyStatus({ pidFile: await pidFileFor(child.pid as number, port) });
    expect(status.apiStatus).toEqual({ status: 403, cloudflare: true });
    expect(status.vault).toMatchObject({ state: 'cloudflare-refused', ok: false, failureMode: 'B', httpStatus: 403 });
  });

  it('finds a proxy without a pid file through its port', async () => {
    const { child, port } = await spawnFixture();
    const status = await getProxyStatus({ port, pidFile: join(await tempDir(), 'none.pid') });
    expect(status).toMatchObject({ running: true, pid: child.pid, health: 'ok', upstream: 'https://vault.example', stalePidFile: false });
  });

  it('reports nothing running and a stale pid file', async () => {
    const pid = await deadPid();
    const pidFile = await pidFileFor(pid, 9);
    const status = await getProxyStatus({ pidFile, port: 9, timeoutMs: 500 });
    expect(status).toEqual({ running: false, pidFile, stalePidFile: true, health: 'unreachable' });
  });

  it('names the process that holds the port when no proxy answers there', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const status = await getProxyStatus({ port, pidFile: join(await tempDir(), 'none.pid') });
      expect(status).toMatchObject({ running: false, health: 'unreachable', portHolder: { pid: process.pid, isVaultProxy: false } });
      expect(status.apiStatus).toBeUndefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
