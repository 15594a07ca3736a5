import { type CliCommand, packageVersion, runCli as runKitCli } from '@raxx/cli-kit';
import { demoBuilder, demoCommand } from './commands/demo.js';
import { doctorBuilder, doctorCommand } from './commands/doctor.js';
import { emergencyStopBuilder, emergencyStopCommand } from './commands/emergency-stop.js';
import { startBuilder, startCommand } from './commands/start.js';
import { statusBuilder, statusCommand } from './commands/status.js';
import { stopBuilder, stopCommand } from './commands/stop.js';

// Each entry is typed by its own flags; the kit runs them all.
const commands: CliCommand[] = [
  { command: 'start', describe: 'run the proxy (foreground; --detach for background)', builder: startBuilder, handler: startCommand },
  { command: 'stop', describe: 'stop the proxy the pid file names (checks it really is one)', builder: stopBuilder, handler: stopCommand },
  {
    command: 'status',
    describe: 'is it running, where, does /api/status answer through it',
    builder: statusBuilder,
    handler: statusCommand,
  },
  {
    command: 'doctor',
    describe: 'docs/runbook.md §Diagnosis: one line per check, failure modes A–E',
    builder: doctorBuilder,
    handler: doctorCommand,
  },
  {
    command: 'emergency-stop',
    describe: 'stop every vault-proxy of this user and remove the Infisical MCP entries of the repository',
    builder: emergencyStopBuilder,
    handler: emergencyStopCommand,
  },
  { command: 'demo', describe: 'a fake vault with the proxy in front of it, and what to try', builder: demoBuilder, handler: demoCommand },
];

/**
 * Run the CLI on `args` (argv without node and the script) and return the
 * exit code (`runCli` of the kit: 2 for configuration and usage, 3 for a
 * taken port, 1 otherwise; errors printed the kit's one way, JSON under `--json`).
 */
export function runCli(args: readonly string[]): Promise<number> {
  return runKitCli({
    name: 'vault-proxy',
    usage: 'A localhost proxy that adds the Cloudflare Access service-token headers for the Raxx vault.',
    commands,
    args,
    version: packageVersion(new URL('../package.json', import.meta.url)),
  });
}
