import type { Argv } from 'yargs';
import { envHelp, PID_FILE_HELP, proxyEnvRows } from '../proxy-flags.js';

/** Flags of every process command: which proxy it is about, and `--json`. */
export interface TargetArgs {
  readonly port?: string;
  readonly host?: string;
  readonly pidFile?: string;
  readonly json?: boolean;
}

/** `--port`, `--host`, `--pid-file`, `--json`: which proxy a process command is about. */
export function targetBuilder<T>(y: Argv<T>): Argv<T> {
  return y
    .option('port', { type: 'string', describe: 'the proxy port [env VAULT_PROXY_PORT] [default: 2019]' })
    .option('host', { type: 'string', describe: 'the proxy address [env VAULT_PROXY_HOST] [default: 127.0.0.1]' })
    .option('pid-file', { type: 'string', describe: 'pid file [env VAULT_PROXY_PID_FILE] [default: one per port in the runtime dir]' })
    .option('json', { type: 'boolean', describe: 'print the result as JSON' }) as Argv<T>;
}

/** The target flags plus `--timeout-ms` of the commands that stop the proxy (stop, emergency-stop). */
export function stopTargetBuilder<T>(y: Argv<T>): Argv<T> {
  return targetBuilder(y).option('timeout-ms', {
    type: 'number',
    describe: 'ms to wait after SIGTERM before SIGKILL [default: 15000]',
  }) as Argv<T>;
}

/** The library options naming the proxy the target flags point at (values as given; the library validates). */
export function targetOptions(argv: TargetArgs): { port?: string; host?: string; pidFile?: string } {
  return { port: argv.port, host: argv.host, pidFile: argv.pidFile };
}

/** The "Environment:" help of a process command. */
export function targetEnvHelp(): string {
  return envHelp([...proxyEnvRows(['VAULT_PROXY_PORT', 'VAULT_PROXY_HOST']), PID_FILE_HELP]);
}
