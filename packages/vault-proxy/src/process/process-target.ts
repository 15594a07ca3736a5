import type { Env } from '../settings/env.js';
import { readSetting } from '../settings/read-setting.js';
import { SETTINGS } from '../settings/settings-table.js';
import { resolvePidFile } from './pid-file.js';

/** Which proxy a process command (stop, status, doctor) is about. */
export interface ProcessTargetOptions {
  /** The proxy's port. Default `VAULT_PROXY_PORT`, then `2019`. */
  port?: number | string;
  /** The proxy's bind address. Default `VAULT_PROXY_HOST`, then `127.0.0.1`. */
  host?: string;
  /** The pid file. Default `VAULT_PROXY_PID_FILE`, then the per-port default ({@link defaultPidFile}). */
  pidFile?: string;
}

/** A {@link ProcessTargetOptions} after defaults and validation. */
export interface ProcessTarget {
  readonly host: string;
  readonly port: number;
  readonly pidFile: string;
}

/**
 * Resolve the proxy a process command talks about, without needing the
 * proxy's credentials. Throws `CONFIG_INVALID` naming the option or
 * variable (never its value) for a port that is not 0–65535.
 */
export function resolveProcessTarget(options: ProcessTargetOptions = {}, env: Env = process.env): ProcessTarget {
  const port = readSetting(SETTINGS.port, options.port, env) as number;
  const host = readSetting(SETTINGS.host, options.host, env) as string;
  return { host, port, pidFile: resolvePidFile({ pidFile: options.pidFile, port }, env) };
}
