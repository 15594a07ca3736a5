import { isVaultProxyError } from '../errors.js';
import { type DisableMcpResult, disableMcp, MCP_CLIENT_NAMES, type McpClient } from '../mcp/index.js';
import { type StopProxyResult, stopProxy } from '../process/index.js';

/** Options of {@link emergencyStop}. */
export interface EmergencyStopOptions {
  /** The proxy's port. Default `VAULT_PROXY_PORT`, then `2019`. */
  port?: number | string;
  /** The proxy's bind address. Default `VAULT_PROXY_HOST`, then `127.0.0.1`. */
  host?: string;
  /** The proxy's pid file. Default `VAULT_PROXY_PID_FILE`, then the per-port default. */
  pidFile?: string;
  /** Milliseconds to wait after SIGTERM before SIGKILL. Default `15000`. */
  timeoutMs?: number;
  /** Directory whose MCP configs to clean. Default: the git top level of `cwd`. */
  dir?: string;
  /** Directory the command started from. Default `INIT_CWD`, else `process.cwd()`. */
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

/** What {@link emergencyStop} did. Both parts are always attempted. */
export interface EmergencyStopResult {
  /** Both parts succeeded (including "nothing to stop / nothing to remove"). */
  readonly ok: boolean;
  /** Stopping the proxy. */
  readonly proxy: { readonly ok: true; readonly result: StopProxyResult } | { readonly ok: false; readonly error: EmergencyStopFailure };
  /** Removing the MCP entry, per client. */
  readonly mcp: readonly (
    | { readonly client: McpClient; readonly ok: true; readonly result: DisableMcpResult }
    | { readonly client: McpClient; readonly ok: false; readonly error: EmergencyStopFailure }
  )[];
}

function failure(error: unknown): EmergencyStopFailure {
  if (isVaultProxyError(error)) return { code: error.code, message: error.message };
  return { code: 'UNEXPECTED', message: 'An unexpected error occurred; see the runbook §Emergency stop to finish by hand.' };
}

/**
 * The runbook's §Emergency stop: stop the proxy and remove the Infisical MCP
 * entry. Both are attempted even when the other fails; the result says what
 * happened to each. Vault access then falls back to the sre-agent dispatch
 * model; nothing else changes.
 */
export async function emergencyStop(options: EmergencyStopOptions = {}): Promise<EmergencyStopResult> {
  const env = options.env ?? process.env;
  const { port, host, pidFile, timeoutMs } = options;
  const proxy: EmergencyStopResult['proxy'] = await stopProxy({ port, host, pidFile, timeoutMs, env }).then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error: failure(error) }),
  );
  const clients = options.client === undefined || options.client === 'all' ? MCP_CLIENT_NAMES : [options.client];
  const mcp: EmergencyStopResult['mcp'][number][] = [];
  for (const client of clients) {
    try {
      mcp.push({ client, ok: true, result: await disableMcp({ dir: options.dir, cwd: options.cwd, client, env }) });
    } catch (error) {
      mcp.push({ client, ok: false, error: failure(error) });
    }
  }
  return { ok: proxy.ok && mcp.every((m) => m.ok), proxy, mcp };
}
