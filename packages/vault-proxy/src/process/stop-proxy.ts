import { unlink } from 'node:fs/promises';
import { configInvalid, VaultProxyError } from '../errors.js';
import { inspectPidFile, removePidFile } from './pid-file.js';
import { findPortHolder } from './port-holder.js';
import { isProcessAlive, isVaultProxyProcess } from './process-identity.js';
import { type ProcessTargetOptions, resolveProcessTarget } from './process-target.js';
import { sleep } from './sleep.js';

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
   * `stale-pid-file`: the pid file named a process that is gone (file removed);
   * `invalid-pid-file`: the pid file is not a vault-proxy pid file and no
   * vault-proxy holds the port (file left as it is: it may not be ours).
   */
  readonly reason: 'stopped' | 'killed' | 'not-running' | 'stale-pid-file' | 'invalid-pid-file';
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

/** How {@link stopVaultProxyProcess} stopped a proxy. */
export type StopOutcome = 'stopped' | 'killed';

/**
 * Stop one vault-proxy process: check it really is one (a reused pid is
 * never signalled: `PID_NOT_VAULT_PROXY`), SIGTERM, wait `timeoutMs` for
 * its graceful close, then SIGKILL (`STOP_FAILED` if even that fails).
 */
export async function stopVaultProxyProcess(pid: number, timeoutMs = 15_000, pidFile?: string): Promise<StopOutcome> {
  if (!isVaultProxyProcess(pid)) {
    const subject = pidFile === undefined ? `pid ${pid}` : `The pid file ${pidFile} names pid ${pid}, which`;
    const hint = pidFile === undefined ? 'Nothing to stop there.' : `Delete ${pidFile} if no vault-proxy is running.`;
    throw new VaultProxyError(
      'PID_NOT_VAULT_PROXY',
      `${subject} is not a vault-proxy (the pid was probably reused). Nothing was signalled${pidFile === undefined ? '.' : '; delete the pid file if no proxy runs.'}`,
      { details: { pid, ...(pidFile === undefined ? {} : { pidFile }), failureMode: 'A', hint } },
    );
  }
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, timeoutMs)) return 'stopped';
  signal(pid, 'SIGKILL');
  if (await waitForExit(pid, 5000)) return 'killed';
  throw new VaultProxyError('STOP_FAILED', `vault-proxy pid ${pid} did not exit after SIGKILL.`, { details: { pid } });
}

/**
 * Stop the vault-proxy named by the pid file (or, without one, the
 * vault-proxy holding the port): verify the process really is a
 * vault-proxy, SIGTERM, wait, SIGKILL after `timeoutMs`. A stale pid file
 * is removed and reported; a pid file that is not one is reported and
 * left. Throws `PID_NOT_VAULT_PROXY` — signalling nothing — when the pid
 * belongs to another program.
 */
export async function stopProxy(options: StopProxyOptions = {}): Promise<StopProxyResult> {
  const target = resolveProcessTarget(options, options.env ?? process.env);
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
    throw configInvalid(
      'timeoutMs',
      'option',
      'must be a whole number of milliseconds (0 or more)',
      'Pass --timeout-ms 15000, for example.',
    );
  }
  const reading = await inspectPidFile(target.pidFile);
  let pid = reading.state === 'valid' ? reading.content.pid : undefined;

  if (pid === undefined) {
    const holder = await findPortHolder(target.port, target.host);
    if (!holder?.isVaultProxy) {
      const reason = reading.state === 'invalid' ? 'invalid-pid-file' : 'not-running';
      return { stopped: false, reason, pidFile: target.pidFile };
    }
    pid = holder.pid;
  } else if (!isProcessAlive(pid)) {
    await unlink(target.pidFile).catch(() => undefined);
    return { stopped: false, pid, reason: 'stale-pid-file', pidFile: target.pidFile };
  }

  const reason = await stopVaultProxyProcess(pid, timeoutMs, reading.state === 'valid' ? target.pidFile : undefined);
  await removePidFile(target.pidFile, pid);
  return { stopped: true, pid, reason, pidFile: target.pidFile };
}
