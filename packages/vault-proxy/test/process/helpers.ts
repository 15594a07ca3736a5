import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The fixture script, named like the vault-proxy bin. */
export const FIXTURE = fileURLToPath(new URL('./fixtures/vault-proxy.mjs', import.meta.url));

const children = new Set<ChildProcess>();

/** A listening stand-in vault-proxy and its port. */
export async function spawnFixture(env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, port: (JSON.parse(line) as { port: number }).port };
}

/** A process that is certainly not a vault-proxy. */
export function spawnSleep(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Wait for a child to exit; resolves its exit code. */
export async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** Kill whatever a test left running. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
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
