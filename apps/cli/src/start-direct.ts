import { runDirect, settingDirectFlags } from '@raxx/cli-kit';
import { type StartArgs, startCommand } from './commands/start.js';
import { START_SETTINGS } from './proxy-flags.js';

/** `start`'s flags as the direct path reads them: the same set `startBuilder` declares. */
const START_FLAGS = {
  ...settingDirectFlags(START_SETTINGS),
  detach: 'boolean',
  'pid-file': 'string',
  json: 'boolean',
  'detached-child': 'boolean',
} as const;

/**
 * `vault-proxy start` with plain flags, without loading yargs: time to
 * listening is a product target (BENCHMARKS.md) and yargs costs about as much
 * to load as the proxy. `undefined` for anything else (help, typos, other
 * commands): the full CLI takes it. The handler, the errors and the exit codes
 * are the full CLI's own.
 */
export function runStartDirect(args: readonly string[]): Promise<number | undefined> {
  return runDirect<StartArgs>({ name: 'vault-proxy', command: 'start', flags: START_FLAGS, handler: startCommand, args });
}
