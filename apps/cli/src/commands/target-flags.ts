import { envHelp, operatorPath, withSettingFlags } from '@raxx/cli-kit';
import type { Argv } from 'yargs';
import { TARGET_SETTINGS } from '../proxy-flags.js';

/** Flags of every process command: which proxy it is about, and `--json`. */
export interface TargetArgs {
  readonly port?: string;
  readonly host?: string;
  readonly pidFile?: string;
  readonly json?: boolean;
}

/** `--port`, `--host`, `--pid-file`, `--json`: which proxy a process command is about. */
export function targetBuilder<T>(y: Argv<T>): Argv<T> {
  return withSettingFlags(y, TARGET_SETTINGS).option('json', { type: 'boolean', describe: 'print the result as JSON' }) as Argv<T>;
}

/** The target flags plus `--timeout-ms` of the commands that stop the proxy (stop, emergency-stop). */
export function stopTargetBuilder<T>(y: Argv<T>): Argv<T> {
  return targetBuilder(y).option('timeout-ms', {
    type: 'number',
    describe: 'ms to wait after SIGTERM before SIGKILL [default: 15000]',
  }) as Argv<T>;
}

/** The library options naming the proxy the target flags point at (values as given, the library validates; a relative `--pid-file` is the operator's). */
export function targetOptions(argv: TargetArgs): { port?: string; host?: string; pidFile?: string } {
  return { port: argv.port, host: argv.host, pidFile: operatorPath(argv.pidFile) };
}

/** The "Environment:" help of a process command. */
export function targetEnvHelp(): string {
  return envHelp('vault-proxy', TARGET_SETTINGS);
}
