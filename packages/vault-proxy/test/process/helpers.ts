import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePidFile } from '../../src/process/index.js';

/** Wait for a child to exit; resolves its exit code. */
export async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** A fresh private temp directory. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vp-process-'));
}

/** A pid that is not in use (a child that already exited). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = child.pid as number;
  await once(child, 'exit');
  return pid;
}

/** A pid file in a fresh temp directory naming `pid` as a proxy on 127.0.0.1:`port`. */
export async function pidFileFor(pid: number, port = 2019): Promise<string> {
  const path = join(await tempDir(), 'vault-proxy.pid');
  const url = `http://127.0.0.1:${port}`;
  await writePidFile(path, { pid, host: '127.0.0.1', port, url, upstream: 'https://vault.example', startedAt: new Date().toISOString() });
  return path;
}
