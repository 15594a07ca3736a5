import { type CliCommand, packageVersion, runCli } from '@raxx/cli-kit';
import { onboardBuilder, onboardCommand } from './commands/onboard.js';
import { rotateBuilder, rotateCommand } from './commands/rotate.js';
import { verifyBuilder, verifyCommand } from './commands/verify.js';
import { type ProvisionArgs, provisionFlagFor } from './flags.js';
import { errorLines } from './output.js';

const commands: CliCommand<ProvisionArgs>[] = [
  {
    command: 'onboard',
    describe: 'provision a read-only identity: Steps 1–10 and 12, each only if needed',
    builder: onboardBuilder,
    handler: (argv, context) => onboardCommand(argv, 'apply', context),
  },
  {
    command: 'plan',
    describe: 'show what onboard would do; changes nothing',
    builder: onboardBuilder,
    handler: (argv, context) => onboardCommand(argv, 'plan', context),
  },
  {
    command: 'verify',
    describe: 'Step 10: login 200, in-scope read 200, out-of-scope read 403, write 403 — through the proxy',
    builder: verifyBuilder,
    handler: verifyCommand,
  },
  {
    command: 'rotate',
    describe: 'issue, store and prove a new client secret, then revoke the old one (--due: every due manifest entry)',
    builder: rotateBuilder,
    handler: rotateCommand,
  },
];

/**
 * Run `vault-provision` on `args` (argv without node and the script) and
 * return the exit code (`runCli` of the kit: 2 for configuration and refused
 * input, 1 otherwise). Errors print the kit's one way, naming the flag at
 * fault, with the verify checks they carry.
 */
export function runProvision(args: readonly string[]): Promise<number> {
  return runCli({
    name: 'vault-provision',
    usage: 'Provision read-only Infisical machine identities for agents (docs/runbook.md §Onboarding, §Rotation).',
    commands,
    args,
    version: packageVersion(new URL('../package.json', import.meta.url)),
    errorLines,
    flagFor: provisionFlagFor,
  });
}
