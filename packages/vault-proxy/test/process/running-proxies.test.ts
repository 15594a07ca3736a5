import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPidFile, findRunningProxies, findVaultProxyProcesses, writePidFile } from '../../src/process/index.js';
import { FIXTURE } from '../support/stand-in-proxy.js';
import { deadPid, tempDir } from './helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A stand-in vault-proxy run as `vault-proxy <args>` with `env` (its pid directory comes from there). */
async function standIn(args: string[], env: Record<string, string>): Promise<{ pid: number; port: number }> {
  const child = spawn(process.execPath, [FIXTURE, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [string];
  return { pid: child.pid as number, port: (JSON.parse(line) as { port: number }).port };
}

const record = (pid: number, port: number) => ({
  pid,
  host: '127.0.0.1',
  port,
  url: `http://127.0.0.1:${port}`,
  upstream: 'https://vault.example',
  startedAt: new Date().toISOString(),
});

describe('findVaultProxyProcesses', () => {
  it('finds the serving vault-proxies (start, demo) of this pid directory by their marker, whatever their port', async () => {
    const env = { XDG_RUNTIME_DIR: await tempDir() };
    const a = await standIn(['start'], env);
    const b = await standIn(['demo', '--port', '0'], env);
    const found = await findVaultProxyProcesses({ env });
    expect(found).toEqual(
      expect.arrayContaining([
        { pid: a.pid, command: 'start' },
        { pid: b.pid, command: 'demo' },
      ]),
    );
    expect(found.every((p) => p.pid !== process.pid)).toBe(true);
  });

  it('leaves out a vault-proxy that only inspects (status) and one of another pid directory', async () => {
    const env = { XDG_RUNTIME_DIR: await tempDir() };
    const inspecting = await standIn(['status'], env);
    const foreign = await standIn(['start'], { XDG_RUNTIME_DIR: await tempDir() });
    const pids = (await findVaultProxyProcesses({ env })).map((p) => p.pid);
    expect(pids).not.toContain(inspecting.pid);
    expect(pids).not.toContain(foreign.pid);
  });
});

describe('findRunningProxies', () => {
  it('finds every proxy once — by pid file of any port, by the port, by process — and reports dead pid files', async () => {
    const env = { XDG_RUNTIME_DIR: await tempDir() };
    const onPidFile = await standIn(['start'], env);
    await writePidFile(defaultPidFile(onPidFile.port, env), record(onPidFile.pid, onPidFile.port));
    const noPidFile = await standIn(['start'], env);
    const stalePid = await deadPid();
    await writePidFile(defaultPidFile(2, env), record(stalePid, 2));
    await writePidFile(defaultPidFile(3, env), record(process.pid, 3));
    await writeFile(defaultPidFile(4, env), 'garbage');

    const found = await findRunningProxies({ port: noPidFile.port, env });
    const byPid = Object.fromEntries(found.proxies.map((p) => [p.pid, p]));
    expect(byPid[onPidFile.pid]).toEqual({
      pid: onPidFile.pid,
      pidFile: defaultPidFile(onPidFile.port, env),
      url: `http://127.0.0.1:${onPidFile.port}`,
      foundBy: ['pid-file', 'process'],
    });
    expect(byPid[noPidFile.pid]).toEqual({ pid: noPidFile.pid, foundBy: ['port', 'process'] });
    expect(found.proxies).toHaveLength(2);
    expect(found.deadPidFiles).toEqual([
      { pidFile: defaultPidFile(2, env), pid: stalePid, reason: 'stale' },
      { pidFile: defaultPidFile(3, env), pid: process.pid, reason: 'reused' },
      { pidFile: defaultPidFile(4, env), reason: 'invalid' },
    ]);
    expect(found.searched).toMatchObject({ pidDirectory: `${env.XDG_RUNTIME_DIR}/vault-proxy`, port: noPidFile.port });
  });
});
