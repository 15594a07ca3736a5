import { stopProxy } from '@raxx/vault-proxy';
import type { Argv } from 'yargs';
import { say, sayJson } from '../output.js';
import { targetBuilder, targetEnvHelp } from './target-flags.js';

/** Flags of `vault-proxy stop`. */
export interface StopArgs {
  readonly port?: string;
  readonly host?: string;
  readonly pidFile?: string;
  readonly timeoutMs?: number;
  readonly json?: boolean;
}

/** yargs builder of `stop`. */
export function stopBuilder<T>(y: Argv<T>): Argv<T> {
  return targetBuilder(y)
    .option('timeout-ms', { type: 'number', describe: 'ms to wait after SIGTERM before SIGKILL [default: 15000]' })
    .epilogue(targetEnvHelp()) as Argv<T>;
}

/** `vault-proxy stop`: stop the proxy the pid file names, after checking it is one. */
export async function stopCommand(argv: StopArgs): Promise<number> {
  const result = await stopProxy({ port: argv.port, host: argv.host, pidFile: argv.pidFile, timeoutMs: argv.timeoutMs });
  if (argv.json) {
    sayJson(result);
    return 0;
  }
  switch (result.reason) {
    case 'stopped':
      say(`stopped vault-proxy pid ${result.pid} (SIGTERM, graceful)`);
      break;
    case 'killed':
      say(`killed vault-proxy pid ${result.pid} (it did not exit after SIGTERM)`);
      break;
    case 'stale-pid-file':
      say(`not running: removed the stale pid file ${result.pidFile} (pid ${result.pid} was gone)`);
      break;
    default:
      say(`not running: no pid file at ${result.pidFile} and no vault-proxy on the port`);
  }
  return 0;
}
