import { readFileSync } from 'node:fs';
import { exitCodeFor, VaultProxyError } from '@raxx/vault-proxy';
import yargs, { type Argv } from 'yargs';
import { demoBuilder, demoCommand } from './commands/demo.js';
import { type DoctorArgs, doctorBuilder, doctorCommand } from './commands/doctor.js';
import { type EmergencyStopArgs, emergencyStopBuilder, emergencyStopCommand } from './commands/emergency-stop.js';
import { type StartArgs, startBuilder, startCommand } from './commands/start.js';
import { type StatusArgs, statusBuilder, statusCommand } from './commands/status.js';
import { type StopArgs, stopBuilder, stopCommand } from './commands/stop.js';
import { printError } from './output.js';
import { flagError } from './proxy-flags.js';

function version(): string {
  // src/ and dist/ both sit one level below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

type Handler<A> = (argv: A) => Promise<number>;

/**
 * Run the CLI on `args` (argv without node and the script) and return the
 * exit code. The one place where errors become exit codes: 2 for
 * configuration and usage, 3 for a taken port, 1 otherwise (`exitCodeFor`).
 */
export async function runCli(args: readonly string[]): Promise<number> {
  let exitCode = 0;
  const run =
    <A>(handler: Handler<A>) =>
    async (argv: unknown) => {
      exitCode = await handler(argv as A);
    };
  const parser: Argv = yargs([...args])
    .scriptName('vault-proxy')
    .usage('$0 <command> [flags]\n\nA localhost proxy that adds the Cloudflare Access service-token headers for the Raxx vault.')
    .command('start', 'run the proxy (foreground; --detach for background)', startBuilder, run<StartArgs>(startCommand))
    .command('stop', 'stop the proxy the pid file names (checks it really is one)', stopBuilder, run<StopArgs>(stopCommand))
    .command('status', 'is it running, where, does /api/status answer through it', statusBuilder, run<StatusArgs>(statusCommand))
    .command('doctor', "the runbook's diagnosis: one line per check, failure modes A–E", doctorBuilder, run<DoctorArgs>(doctorCommand))
    .command(
      'emergency-stop',
      'stop the proxy and remove the Infisical MCP entry',
      emergencyStopBuilder,
      run<EmergencyStopArgs>(emergencyStopCommand),
    )
    .command('demo', 'a fake vault with the proxy in front of it, and what to try', demoBuilder, run(demoCommand))
    .demandCommand(1, 'Name a command: start, stop, status, doctor, emergency-stop or demo.')
    .strict()
    .version(version())
    .help()
    .alias('h', 'help')
    .wrap(null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new VaultProxyError('CONFIG_INVALID', `${message.replace(/\.?$/, '.')} Run \`vault-proxy --help\`.`);
    });
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    const shown = flagError(error);
    printError(shown);
    return exitCodeFor(shown);
  }
}
