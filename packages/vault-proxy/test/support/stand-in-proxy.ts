import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The stand-in vault-proxy script, named like the bin (see the script for its FIXTURE_* variables). */
export const FIXTURE = fileURLToPath(new URL('./fixtures/vault-proxy.mjs', import.meta.url));

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A listening stand-in vault-proxy and its port. */
export async function spawnFixture(env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = track(spawn(process.execPath, [FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, port: (JSON.parse(line) as { port: number }).port };
}

/** A process that is certainly not a vault-proxy. */
export function spawnSleep(): ChildProcess {
  return track(spawn('sleep', ['60'], { stdio: 'ignore' }));
}

/** Kill whatever a test left running. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}
