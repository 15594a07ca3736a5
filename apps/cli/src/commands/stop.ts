import type { CliContext } from '@raxx/cli-kit';
import { stopProxy } from '@raxx/vault-proxy/process';
import type { Argv } from 'yargs';
import { stopTargetBuilder, type TargetArgs, targetEnvHelp, targetOptions } from './target-flags.js';

/** Flags of `vault-proxy stop`. */
export interface StopArgs extends TargetArgs {
  readonly timeoutMs?: number;
}

/** yargs builder of `stop`. */
export function stopBuilder<T>(y: Argv<T>): Argv<T> {
  return stopTargetBuilder(y).epilogue(targetEnvHelp()) as Argv<T>;
}

/** `vault-proxy stop`: stop the proxy the pid file names, after checking it is one. */
export async function stopCommand(argv: StopArgs, { output }: CliContext): Promise<number> {
  const { say, sayJson } = output;
  const result = await stopProxy({ ...targetOptions(argv), timeoutMs: argv.timeoutMs });
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
    case 'invalid-pid-file':
      say(
        `not running: ${result.pidFile} is not a vault-proxy pid file (left as it is; delete it if it is yours) and no vault-proxy holds the port`,
      );
      break;
    default:
      say(`not running: no pid file at ${result.pidFile} and no vault-proxy on the port`);
  }
  return 0;
}
