import type { Argv } from 'yargs';
import { envHelp, PID_FILE_HELP, proxyEnvRows } from '../proxy-flags.js';

/** `--port`, `--host`, `--pid-file`, `--json`: which proxy a process command is about. */
export function targetBuilder<T>(y: Argv<T>): Argv<T> {
  return y
    .option('port', { type: 'string', describe: 'the proxy port [env VAULT_PROXY_PORT] [default: 2019]' })
    .option('host', { type: 'string', describe: 'the proxy address [env VAULT_PROXY_HOST] [default: 127.0.0.1]' })
    .option('pid-file', { type: 'string', describe: 'pid file [env VAULT_PROXY_PID_FILE] [default: one per port in the runtime dir]' })
    .option('json', { type: 'boolean', describe: 'print the result as JSON' }) as Argv<T>;
}

/** The "Environment:" help of a process command. */
export function targetEnvHelp(): string {
  return envHelp([...proxyEnvRows(['VAULT_PROXY_PORT', 'VAULT_PROXY_HOST']), PID_FILE_HELP]);
}
