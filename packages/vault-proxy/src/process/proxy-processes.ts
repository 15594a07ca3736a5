import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Env } from '../settings/env.js';
import { pidDirectory } from './pid-file.js';
import { isProcessAlive, isVaultProxyArgs, readProcessArgs } from './process-identity.js';

const execFileAsync = promisify(execFile);

/** The commands that keep a proxy listening (the others — stop, status, doctor — come and go). */
const SERVING_COMMANDS = ['start', 'demo'] as const;

/** A vault-proxy that serves, found by its process marker rather than a pid file. */
export interface VaultProxyProcess {
  /** Its process id. */
  readonly pid: number;
  /** The command it runs: `start` (also a detached one) or `demo`. */
  readonly command: (typeof SERVING_COMMANDS)[number];
}

/** Options of {@link findVaultProxyProcesses}. */
export interface FindVaultProxyProcessesOptions {
  /** The environment whose pid directory (`XDG_RUNTIME_DIR`, `TMPDIR`) a proxy must share to count. Default `process.env`. */
  env?: Env;
}

/** The command a vault-proxy argument vector serves, if it is `start` or `demo`. */
function servingCommand(args: readonly string[]): VaultProxyProcess['command'] | undefined {
  return SERVING_COMMANDS.find((c) => args.includes(c));
}

/**
 * The pid directory an environment implies, with the temp directory spelled
 * out, so two environments compare by what they name and not by whose
 * process computes it.
 */
function pidHome(env: Env): string {
  return pidDirectory({ ...env, TMPDIR: env.TMPDIR?.trim() || env.TMP?.trim() || env.TEMP?.trim() || '/tmp' });
}

/** A process's environment from procfs; `undefined` when it cannot be read. */
async function processEnv(pid: number): Promise<Env | undefined> {
  const raw = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => undefined);
  if (raw === undefined) return undefined;
  const env: Record<string, string> = {};
  for (const pair of raw.split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

async function fromProcfs(uid: number, home: string): Promise<VaultProxyProcess[] | undefined> {
  const entries = await readdir('/proc').catch(() => undefined);
  if (entries === undefined) return undefined;
  const found: VaultProxyProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const owner = await stat(`/proc/${pid}`).catch(() => undefined);
    if (owner?.uid !== uid) continue;
    const args = readProcessArgs(pid);
    const command = args !== undefined && isVaultProxyArgs(args) ? servingCommand(args) : undefined;
    if (command === undefined || !isProcessAlive(pid)) continue;
    // A proxy of another pid directory belongs to another setup of this user
    // (another runtime directory: a test, a container); leave it to that setup.
    const env = await processEnv(pid);
    if (env !== undefined && pidHome(env) !== home) continue;
    found.push({ pid, command });
  }
  return found;
}

async function fromPs(uid: number): Promise<VaultProxyProcess[]> {
  const { stdout } = await execFileAsync('ps', ['-U', String(uid), '-o', 'pid=,args='], { timeout: 3000 });
  const found: VaultProxyProcess[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    const pid = Number(match[1]);
    const args = match[2].split(/\s+/);
    const command = isVaultProxyArgs(args) ? servingCommand(args) : undefined;
    if (command !== undefined && pid !== process.pid) found.push({ pid, command });
  }
  return found;
}

/**
 * Every serving vault-proxy (`start`, `demo`) of this user, found by its
 * process marker (see `isVaultProxyProcess`), whatever its port or pid file:
 * the old runbook's `pgrep -f vault-proxy`, made exact. A proxy whose
 * environment names another pid directory than `env` does is left out;
 * where procfs is missing, `ps` lists them without that check. Never
 * includes the calling process.
 */
export async function findVaultProxyProcesses(options: FindVaultProxyProcessesOptions = {}): Promise<VaultProxyProcess[]> {
  if (typeof process.getuid !== 'function') return [];
  const uid = process.getuid();
  const procfs = await fromProcfs(uid, pidHome(options.env ?? process.env));
  if (procfs !== undefined) return procfs;
  return fromPs(uid).catch(() => []);
}
