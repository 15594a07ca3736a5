import type { Env } from '../settings/env.js';
import { inspectPidFile, listPidFiles, pidDirectory } from './pid-file.js';
import { findPortHolder } from './port-holder.js';
import { isProcessAlive, isVaultProxyProcess } from './process-identity.js';
import { type ProcessTargetOptions, resolveProcessTarget } from './process-target.js';
import { findVaultProxyProcesses } from './proxy-processes.js';

/** Options of {@link findRunningProxies}: the proxy named the usual way, looked for besides all the others. */
export interface FindRunningProxiesOptions extends ProcessTargetOptions {
  /** Environment to read (`VAULT_PROXY_*`, `XDG_RUNTIME_DIR`, `TMPDIR`). Default `process.env`. */
  env?: Env;
}

/** How a running proxy was found. */
export type ProxyClue = 'pid-file' | 'port' | 'process';

/** A running vault-proxy. */
export interface RunningProxy {
  /** Its process id. */
  readonly pid: number;
  /** The pid file naming it, when one does. */
  readonly pidFile?: string;
  /** Its URL, from its pid file. */
  readonly url?: string;
  /** Every way it was found (a pid file, the target port, its process marker). */
  readonly foundBy: readonly ProxyClue[];
}

/** A pid file that names no running vault-proxy. */
export interface DeadPidFile {
  /** The pid file's path. */
  readonly pidFile: string;
  /**
   * `stale`: its pid is gone; `reused`: its pid now belongs to another
   * program; `invalid`: it is not a vault-proxy pid file at all.
   */
  readonly reason: 'stale' | 'reused' | 'invalid';
  /** The pid it names (`stale`, `reused`). */
  readonly pid?: number;
}

/** What {@link findRunningProxies} found, and where it looked. */
export interface RunningProxies {
  /** Every running vault-proxy found, once each. */
  readonly proxies: readonly RunningProxy[];
  /** Pid files that name no running vault-proxy. */
  readonly deadPidFiles: readonly DeadPidFile[];
  /** Where it looked: the pid directory, the pid files read, the port asked. */
  readonly searched: { readonly pidDirectory: string; readonly pidFiles: readonly string[]; readonly port: number };
}

/**
 * Every running vault-proxy of this user, whatever its port: the proxies
 * named by the per-port pid files of the pid directory and by the target's
 * own pid file (`--pid-file`, `VAULT_PROXY_PID_FILE`), the vault-proxy
 * holding the target port, and the serving vault-proxy processes found by
 * their marker. Nothing is signalled; pid files that name no proxy are
 * reported, not removed.
 */
export async function findRunningProxies(options: FindRunningProxiesOptions = {}): Promise<RunningProxies> {
  const env = options.env ?? process.env;
  const target = resolveProcessTarget(options, env);
  const pidFiles = [...new Set([...(await listPidFiles(env)), target.pidFile])];
  const found = new Map<number, { pidFile?: string; url?: string; foundBy: Set<ProxyClue> }>();
  const note = (pid: number, clue: ProxyClue, from?: { pidFile: string; url: string }) => {
    const entry = found.get(pid) ?? { foundBy: new Set<ProxyClue>() };
    entry.foundBy.add(clue);
    // The first pid file naming it is the one it wrote (a later one would be a copy).
    if (from !== undefined && entry.pidFile === undefined) Object.assign(entry, from);
    found.set(pid, entry);
  };
  const deadPidFiles: DeadPidFile[] = [];
  const read: string[] = [];

  for (const pidFile of pidFiles) {
    const reading = await inspectPidFile(pidFile);
    if (reading.state === 'missing') continue;
    read.push(pidFile);
    if (reading.state === 'invalid') deadPidFiles.push({ pidFile, reason: 'invalid' });
    else if (isVaultProxyProcess(reading.content.pid)) note(reading.content.pid, 'pid-file', { pidFile, url: reading.content.url });
    else {
      const { pid } = reading.content;
      deadPidFiles.push({ pidFile, pid, reason: isProcessAlive(pid) ? 'reused' : 'stale' });
    }
  }
  const holder = await findPortHolder(target.port, target.host).catch(() => undefined);
  if (holder?.isVaultProxy) note(holder.pid, 'port');
  for (const { pid } of await findVaultProxyProcesses({ env })) note(pid, 'process');

  const proxies = [...found].map(([pid, e]) => ({
    pid,
    ...(e.pidFile === undefined ? {} : { pidFile: e.pidFile }),
    ...(e.url === undefined ? {} : { url: e.url }),
    foundBy: [...e.foundBy],
  }));
  return { proxies, deadPidFiles, searched: { pidDirectory: pidDirectory(env), pidFiles: read, port: target.port } };
}
