import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emergencyStop } from '../../src/doctor/index.js';
import { enableMcp } from '../../src/mcp/index.js';
import { defaultPidFile, writePidFile } from '../../src/process/index.js';
import { FIXTURE, killChildren, spawnSleep } from '../support/stand-in-proxy.js';

let dir: string;
/** The emergency stop's environment: its own pid directory, so it never touches another test's proxies. */
let env: { XDG_RUNTIME_DIR: string };
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'vault-estop-')));
  env = { XDG_RUNTIME_DIR: join(dir, 'run') };
});
afterEach(() => {
  killChildren();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in `vault-proxy start` of this pid directory; with `pidFile: true` it records the per-port pid file as the real one does. */
async function proxy(pidFile: boolean): Promise<{ child: ChildProcess; port: number; pidFile: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [FIXTURE, 'start'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  const exited = once(child, 'exit');
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [string];
  const port = (JSON.parse(line) as { port: number }).port;
  const file = defaultPidFile(port, env);
  if (pidFile) {
    const url = `http://127.0.0.1:${port}`;
    await writePidFile(file, {
      pid: child.pid as number,
      host: '127.0.0.1',
      port,
      url,
      upstream: 'https://x',
      startedAt: new Date().toISOString(),
    });
  }
  return { child, port, pidFile: file, exited };
}

describe('emergencyStop', () => {
  it('stops every proxy of this user on any port — by pid file or by process — and removes the entry from every client config', async () => {
    const a = await proxy(true);
    const b = await proxy(true);
    const c = await proxy(false);
    writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { github: { command: 'gh' } } }));
    await enableMcp({ dir, port: a.port, env: {} });
    await enableMcp({ dir, port: a.port, client: 'vscode', env: {} });

    const result = await emergencyStop({ port: 1, dir, env, timeoutMs: 5000 });
    expect(result.ok).toBe(true);
    expect(result.searched).toMatchObject({ pidDirectory: join(env.XDG_RUNTIME_DIR, 'vault-proxy'), port: 1 });
    const byPid = Object.fromEntries(result.proxies.map((p) => [p.pid, p]));
    expect(byPid[a.child.pid as number]).toMatchObject({
      ok: true,
      outcome: 'stopped',
      pidFile: a.pidFile,
      foundBy: ['pid-file', 'process'],
    });
    expect(byPid[b.child.pid as number]).toMatchObject({ ok: true, outcome: 'stopped', pidFile: b.pidFile });
    expect(byPid[c.child.pid as number]).toMatchObject({ ok: true, outcome: 'stopped', foundBy: ['process'] });
    expect(result.proxies).toHaveLength(3);
    await Promise.all([a.exited, b.exited, c.exited]);
    expect(existsSync(a.pidFile) || existsSync(b.pidFile)).toBe(false);

    expect(result.mcp.map((m) => [m.client, m.ok && m.result.action])).toEqual([
      ['claude', 'removed-entry'],
      ['cursor', 'no-file'],
      ['vscode', 'removed-file'],
    ]);
    expect(JSON.parse(readFileSync(join(dir, '.mcp.json'), 'utf8'))).toEqual({ mcpServers: { github: { command: 'gh' } } });
    expect(existsSync(join(dir, '.vscode'))).toBe(false);
  });

  it('removes stale pid files (a pid gone or reused) without signalling anything, and leaves one that is not a pid file', async () => {
    const sleeper = spawnSleep();
    const stale = defaultPidFile(2, env);
    const reused = defaultPidFile(3, env);
    const garbage = defaultPidFile(4, env);
    const record = (pid: number, port: number) => ({ pid, host: '127.0.0.1', port, url: '', upstream: '', startedAt: '' });
    await writePidFile(stale, record(999_999, 2));
    await writePidFile(reused, record(sleeper.pid as number, 3));
    writeFileSync(garbage, 'garbage');
    await enableMcp({ dir, port: 2019, env: {} });

    const result = await emergencyStop({ port: 1, dir, client: 'claude', env });
    expect(result.ok).toBe(true);
    expect(result.proxies).toEqual([]);
    expect(result.pidFiles).toEqual([
      { pidFile: stale, pid: 999_999, reason: 'stale', removed: true },
      { pidFile: reused, pid: sleeper.pid, reason: 'reused', removed: true },
      { pidFile: garbage, reason: 'invalid', removed: false },
    ]);
    expect(sleeper.exitCode).toBeNull();
    expect(sleeper.signalCode).toBeNull();
    expect(existsSync(garbage)).toBe(true);
    expect(result.mcp).toEqual([{ client: 'claude', ok: true, result: expect.objectContaining({ action: 'removed-file' }) }]);
    expect(existsSync(join(dir, '.mcp.json'))).toBe(false);
  });

  it('still stops the proxy when the MCP config is malformed, and says it could not finish', async () => {
    const a = await proxy(true);
    writeFileSync(join(dir, '.mcp.json'), '{not json');
    const result = await emergencyStop({ port: 1, dir, client: 'claude', env });
    expect(result.ok).toBe(false);
    expect(result.proxies).toEqual([expect.objectContaining({ pid: a.child.pid, ok: true })]);
    await a.exited;
    expect(result.mcp[0]).toMatchObject({ client: 'claude', ok: false, error: { code: 'MCP_CONFIG_MALFORMED' } });
    expect(readFileSync(join(dir, '.mcp.json'), 'utf8')).toBe('{not json');
  });

  it('reports what it looked at and that it found nothing, when nothing runs and no config exists', async () => {
    const result = await emergencyStop({ port: 1, pidFile: join(dir, 'none.pid'), dir, env });
    expect(result).toMatchObject({ ok: true, proxies: [], pidFiles: [], searched: { pidFiles: [], port: 1 } });
    expect(result.mcp.every((m) => m.ok && m.result.action === 'no-file')).toBe(true);
  });

  it('leaves alone the proxies of another pid directory (another setup of this user, such as a parallel test)', async () => {
    const mine = await proxy(false);
    const otherEnv = { XDG_RUNTIME_DIR: join(dir, 'other-run') };
    const other = spawn(process.execPath, [FIXTURE, 'start'], {
      env: { PATH: process.env.PATH ?? '', ...otherEnv },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(other);
    await once(createInterface({ input: other.stdout as NodeJS.ReadableStream }), 'line');
    const result = await emergencyStop({ port: 1, dir, env });
    expect(result.proxies.map((p) => p.pid)).toEqual([mine.child.pid]);
    await mine.exited;
    expect(other.exitCode).toBeNull();
  });
});
