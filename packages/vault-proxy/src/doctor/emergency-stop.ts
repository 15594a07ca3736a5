import { unlink } from 'node:fs/promises';
import { configInvalid, isVaultProxyError } from '../errors.js';
import { type DisableMcpResult, disableMcp, MCP_CLIENT_NAMES, type McpClient } from '../mcp/index.js';
import {
  type DeadPidFile,
  findRunningProxies,
  isVaultProxyProcess,
  type RunningProxies,
  type RunningProxy,
  removePidFile,
  type StopOutcome,
  stopVaultProxyProcess,
} from '../process/index.js';

/** Options of {@link emergencyStop}. */
export interface EmergencyStopOptions {
  /** A port to look at besides every pid file. Default `VAULT_PROXY_PORT`, then `2019`. */
  port?: number | string;
  /** The bind address of that port. Default `VAULT_PROXY_HOST`, then `127.0.0.1`. */
  host?: string;
  /** A pid file to read besides those of the pid directory. Default `VAULT_PROXY_PID_FILE`, then the per-port default. */
  pidFile?: string;
  /** Milliseconds to wait after SIGTERM before SIGKILL. Default `15000`. */
  timeoutMs?: number;
  /** Directory whose MCP configs to clean (relative to `cwd`). Default: the git top level of `cwd`. */
  dir?: string;
  /** Directory the command was typed in. Default: the operator's directory (`INIT_CWD` under a package manager, else `process.cwd()`). */
  cwd?: string;
  /** Which client's config to clean; `all` cleans Claude Code's, Cursor's and VS Code's. Default `all`. */
  client?: McpClient | 'all';
  /** Environment to read. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A part that could not be done, secret-free. */
export interface EmergencyStopFailure {
  /** The `VaultProxyError` code, or `UNEXPECTED`. */
  readonly code: string;
  /** What went wrong and what to do. */
  readonly message: string;
}

/** One running proxy found, and what became of it. */
export type EmergencyStopProxy = RunningProxy &
  ({ readonly ok: true; readonly outcome: StopOutcome } | { readonly ok: false; readonly error: EmergencyStopFailure });

/** One pid file that named no running proxy, and what became of it. */
export type EmergencyStopPidFile = DeadPidFile & { readonly removed: boolean };

/** Cleaning one client's MCP config. */
export type EmergencyStopMcp =
  | { readonly client: McpClient; readonly ok: true; readonly result: DisableMcpResult }
  | { readonly client: McpClient; readonly ok: false; readonly error: EmergencyStopFailure };

/** What {@link emergencyStop} found and did. Every part is always attempted. */
export interface EmergencyStopResult {
  /** Everything found was stopped or removed (finding nothing counts as done). */
  readonly ok: boolean;
  /** Where it looked for proxies. */
  readonly searched: RunningProxies['searched'];
  /** Every running vault-proxy found (any port, any pid file, by its process), and whether it stopped. */
  readonly proxies: readonly EmergencyStopProxy[];
  /** Pid files that named no running proxy: stale ones are removed, others left. */
  readonly pidFiles: readonly EmergencyStopPidFile[];
  /** The repository's MCP configs, one per client. */
  readonly mcp: readonly EmergencyStopMcp[];
}

function failure(error: unknown): EmergencyStopFailure {
  if (isVaultProxyError(error)) return { code: error.code, message: error.message };
  return { code: 'UNEXPECTED', message: 'An unexpected error occurred; finish by hand as docs/runbook.md §Emergency stop says.' };
}

async function stopOne(proxy: RunningProxy, timeoutMs: number | undefined): Promise<EmergencyStopProxy> {
  try {
    const outcome = await stopVaultProxyProcess(proxy.pid, timeoutMs);
    // A graceful stop removes its own pid file; after a SIGKILL it is ours to remove.
    if (proxy.pidFile !== undefined) await removePidFile(proxy.pidFile, proxy.pid);
    return { ...proxy, ok: true, outcome };
  } catch (error) {
    // Found running a moment ago and gone now (it was stopping already): nothing is left to stop.
    if (!isVaultProxyProcess(proxy.pid)) return { ...proxy, ok: true, outcome: 'stopped' };
    return { ...proxy, ok: false, error: failure(error) };
  }
}

/** A pid file whose pid is gone or reused is stale: removing it signals nothing. One that is not a pid file may not be ours. */
async function clearPidFile(dead: DeadPidFile): Promise<EmergencyStopPidFile> {
  if (dead.reason === 'invalid') return { ...dead, removed: false };
  const removed = await unlink(dead.pidFile).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );
  return { ...dead, removed };
}

/**
 * docs/runbook.md §Emergency stop: stop every running vault-proxy of this
 * user (every pid file of the pid directory, the given port, every serving
 * vault-proxy process), remove stale pid files, and remove the Infisical
 * entry from every MCP client config of the repository. Every part is
 * attempted even when another fails; the result lists each thing found and
 * what was done. Vault access then falls back to the sre-agent dispatch
 * model; the vault and Cloudflare Access are untouched.
 */
export async function emergencyStop(options: EmergencyStopOptions = {}): Promise<EmergencyStopResult> {
  const env = options.env ?? process.env;
  const { port, host, pidFile, timeoutMs } = options;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 0)) {
    throw configInvalid(
      'timeoutMs',
      'option',
      'must be a whole number of milliseconds (0 or more)',
      'Pass --timeout-ms 15000, for example.',
    );
  }
  const found = await findRunningProxies({ port, host, pidFile, env });
  const [proxies, pidFiles] = await Promise.all([
    Promise.all(found.proxies.map((proxy) => stopOne(proxy, timeoutMs))),
    Promise.all(found.deadPidFiles.map(clearPidFile)),
  ]);
  const clients = options.client === undefined || options.client === 'all' ? MCP_CLIENT_NAMES : [options.client];
  const mcp: EmergencyStopMcp[] = [];
  for (const client of clients) {
    try {
      mcp.push({ client, ok: true, result: await disableMcp({ dir: options.dir, cwd: options.cwd, client, env }) });
    } catch (error) {
      mcp.push({ client, ok: false, error: failure(error) });
    }
  }
  const ok = proxies.every((p) => p.ok) && pidFiles.every((f) => f.removed || f.reason === 'invalid') && mcp.every((m) => m.ok);
  return { ok, searched: found.searched, proxies, pidFiles, mcp };
}
