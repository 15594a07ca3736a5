import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { VaultProxyError } from '../errors.js';
import { readPidFile, removePidFile } from './pid-file.js';
import { findPortHolder } from './port-holder.js';
import { isProcessAlive, isVaultProxyProcess } from './process-identity.js';
import { type ProcessTargetOptions, resolveProcessTarget } from './process-target.js';

/** Options of {@link stopProxy}. */
export interface StopProxyOptions extends ProcessTargetOptions {
  /** Milliseconds to wait after SIGTERM (the proxy drains in-flight requests) before SIGKILL. Default `15000`. */
  timeoutMs?: number;
  /** Environment to read `VAULT_PROXY_PORT` / `VAULT_PROXY_PID_FILE` from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link stopProxy} did. */
export interface StopProxyResult {
  /** Whether a proxy process was stopped. */
  readonly stopped: boolean;
  /** The process concerned, when there was one. */
  readonly pid?: number;
  /**
   * `stopped`: exited after SIGTERM; `killed`: needed SIGKILL;
   * `not-running`: no pid file and no vault-proxy on the port;
   * `stale-pid-file`: the pid file named a process that is gone (file removed).
   */
  readonly reason: 'stopped' | 'killed' | 'not-running' | 'stale-pid-file';
  /** The pid file consulted. */
  readonly pidFile: string;
}

const POLL_MS = 50;

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return; // exited meanwhile: that is what we want
    throw new VaultProxyError(
      'STOP_FAILED',
      `Could not send ${name} to vault-proxy pid ${pid} (${code}). Stop it as the user that started it.`,
      {
        cause: error,
        details: { pid, hint: 'Run the stop command as the user that started the proxy.' },
      },
    );
  }
}

/**
 * Stop the vault-proxy named by the pid file (or, without one, the
 * vault-proxy holding the port): verify the process really is a
 * vault-proxy, SIGTERM, wait, SIGKILL after `timeoutMs`. A stale pid file
 * is removed and reported. Throws `PID_NOT_VAULT_PROXY` — signalling
 * nothing — when the pid belongs to another program.
 */
export async function stopProxy(options: StopProxyOptions = {}): Promise<StopProxyResult> {
  const target = resolveProcessTarget(options, options.env ?? process.env);
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
    throw new VaultProxyError('CONFIG_INVALID', 'option `timeoutMs` must be a whole number of milliseconds (0 or more).', {
      details: { field: 'option `timeoutMs`' },
    });
  }
  const recorded = await readPidFile(target.pidFile);
  let pid = recorded?.pid;

  if (pid === undefined) {
    const holder = await findPortHolder(target.port, target.host);
    if (!holder?.isVaultProxy) return { stopped: false, reason: 'not-running', pidFile: target.pidFile };
    pid = holder.pid;
  } else if (!isProcessAlive(pid)) {
    await unlink(target.pidFile).catch(() => undefined);
    return { stopped: false, pid, reason: 'stale-pid-file', pidFile: target.pidFile };
  }

  if (!isVaultProxyProcess(pid)) {
    throw new VaultProxyError(
      'PID_NOT_VAULT_PROXY',
      `The pid file ${target.pidFile} names pid ${pid}, which is not a vault-proxy (the pid was probably reused). Nothing was signalled; delete the pid file if no proxy runs.`,
      { details: { pid, pidFile: target.pidFile, failureMode: 'A', hint: `Delete ${target.pidFile} if no vault-proxy is running.` } },
    );
  }

  signal(pid, 'SIGTERM');
  let reason: StopProxyResult['reason'] = 'stopped';
  if (!(await waitForExit(pid, timeoutMs))) {
    signal(pid, 'SIGKILL');
    reason = 'killed';
    if (!(await waitForExit(pid, 5000))) {
      throw new VaultProxyError('STOP_FAILED', `vault-proxy pid ${pid} did not exit after SIGKILL.`, { details: { pid } });
    }
  }
  await removePidFile(target.pidFile, pid);
  return { stopped: true, pid, reason, pidFile: target.pidFile };
}
