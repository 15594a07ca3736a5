import { once } from 'node:events';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emergencyStop } from '../../src/doctor/index.js';
import { enableMcp } from '../../src/mcp/index.js';
import { killChildren, spawnFixture, spawnSleep } from '../support/stand-in-proxy.js';

let dir: string;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'vault-estop-')));
});
afterEach(() => {
  killChildren();
  rmSync(dir, { recursive: true, force: true });
});

const spawnProxy = (pidFile: string) => spawnFixture({ FIXTURE_PID_FILE: pidFile });

const exists = (path: string) => {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
};

describe('emergencyStop', () => {
  it('stops the proxy and removes the Infisical entry from every client config, keeping other servers', async () => {
    const pidFile = join(dir, 'proxy.pid');
    const { child, port } = await spawnProxy(pidFile);
    const exit = once(child, 'exit');
    writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { github: { command: 'gh' } } }));
    await enableMcp({ dir, port, env: {} });
    await enableMcp({ dir, port, client: 'vscode', env: {} });

    const result = await emergencyStop({ port, pidFile, dir, env: {} });
    expect(result.ok).toBe(true);
    expect(result.proxy).toMatchObject({ ok: true, result: { stopped: true, pid: child.pid, reason: 'stopped' } });
    await exit;
    expect(exists(pidFile)).toBe(false);
    expect(result.mcp.map((m) => [m.client, m.ok && m.result.action])).toEqual([
      ['claude', 'removed-entry'],
      ['cursor', 'no-file'],
      ['vscode', 'removed-file'],
    ]);
    expect(JSON.parse(readFileSync(join(dir, '.mcp.json'), 'utf8'))).toEqual({ mcpServers: { github: { command: 'gh' } } });
    expect(exists(join(dir, '.vscode', 'mcp.json'))).toBe(false);
  });

  it('still removes the MCP entry when the pid file names another program (nothing signalled)', async () => {
    const sleeper = spawnSleep();
    const pidFile = join(dir, 'proxy.pid');
    const content = {
      pid: sleeper.pid,
      host: '127.0.0.1',
      port: 1,
      url: 'http://127.0.0.1:1',
      upstream: 'https://x',
      startedAt: new Date().toISOString(),
    };
    writeFileSync(pidFile, JSON.stringify(content));
    await enableMcp({ dir, port: 2019, env: {} });

    const result = await emergencyStop({ port: 1, pidFile, dir, client: 'claude', env: {} });
    expect(result.ok).toBe(false);
    expect(result.proxy).toMatchObject({ ok: false, error: { code: 'PID_NOT_VAULT_PROXY' } });
    expect(sleeper.exitCode).toBeNull();
    expect(sleeper.signalCode).toBeNull();
    expect(result.mcp).toEqual([{ client: 'claude', ok: true, result: expect.objectContaining({ action: 'removed-file' }) }]);
    expect(exists(join(dir, '.mcp.json'))).toBe(false);
  });

  it('still stops the proxy when the MCP config is malformed (left untouched)', async () => {
    const pidFile = join(dir, 'proxy.pid');
    const { child, port } = await spawnProxy(pidFile);
    const exit = once(child, 'exit');
    writeFileSync(join(dir, '.mcp.json'), '{not json');
    const result = await emergencyStop({ port, pidFile, dir, client: 'claude', env: {} });
    expect(result.ok).toBe(false);
    expect(result.proxy.ok).toBe(true);
    await exit;
    expect(result.mcp[0]).toMatchObject({ client: 'claude', ok: false, error: { code: 'MCP_CONFIG_MALFORMED' } });
    expect(readFileSync(join(dir, '.mcp.json'), 'utf8')).toBe('{not json');
  });

  it('reports nothing to do when no proxy runs and no config exists', async () => {
    const result = await emergencyStop({ port: 1, pidFile: join(dir, 'none.pid'), dir, env: {} });
    expect(result.ok).toBe(true);
    expect(result.proxy).toMatchObject({ ok: true, result: { stopped: false, reason: 'not-running' } });
    expect(result.mcp.every((m) => m.ok && m.result.action === 'no-file')).toBe(true);
  });
});
