import { VaultProxyError } from '../errors.js';
import { resolvePidFile } from './pid-file.js';

type Env = Readonly<Record<string, string | undefined>>;

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
  const fromEnv = options.port === undefined || options.port === '';
  const raw = fromEnv ? env.VAULT_PROXY_PORT : options.port;
  const field = fromEnv ? 'VAULT_PROXY_PORT' : 'option `port`';
  let port = 2019;
  if (raw !== undefined && raw !== '') {
    const text = String(raw).trim();
    port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new VaultProxyError('CONFIG_INVALID', `${field} must be an integer from 0 to 65535. Set it in range or unset it for 2019.`, {
        details: { field, hint: `Set ${field} to a port number or unset it for the default (2019).` },
      });
    }
  }
  const host = (options.host?.trim() || env.VAULT_PROXY_HOST?.trim() || '127.0.0.1').trim();
  return { host, port, pidFile: resolvePidFile({ pidFile: options.pidFile, port }, env) };
}
