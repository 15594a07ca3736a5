import { readFileSync } from 'node:fs';
import { exitCodeFor, VaultProxyError } from '@raxx/vault-proxy';
import yargs, { type Argv } from 'yargs';
import { onboardBuilder, onboardCommand } from './commands/onboard.js';
import { rotateBuilder, rotateCommand } from './commands/rotate.js';
import { verifyBuilder, verifyCommand } from './commands/verify.js';
import type { ProvisionArgs } from './flags.js';
import { printError } from './output.js';

function version(): string {
  // src/ and dist/ both sit one level below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * Run `vault-provision` on `args` (argv without node and the script) and
 * return the exit code. The one place where errors become exit codes
 * (`exitCodeFor`: 2 for configuration and refused input, 1 otherwise).
 */
export async function runProvision(args: readonly string[]): Promise<number> {
  let exitCode = 0;
  const run = (handler: (argv: ProvisionArgs) => Promise<number>) => async (argv: unknown) => {
    exitCode = await handler(argv as ProvisionArgs);
  };
  const parser: Argv = yargs([...args])
    .scriptName('vault-provision')
    .usage('$0 <command> [flags]\n\nProvision read-only Infisical machine identities for agents (runbook §Onboarding prompt).')
    .command(
      'onboard',
      'provision a read-only identity: Steps 1–10 and 12, each only if needed',
      onboardBuilder,
      run((a) => onboardCommand(a, 'apply')),
    )
    .command(
      'plan',
      'show what onboard would do; changes nothing',
      onboardBuilder,
      run((a) => onboardCommand(a, 'plan')),
    )
    .command(
      'verify',
      'Step 10: login 200, in-scope read 200, out-of-scope read 403, write 403 — through the proxy',
      verifyBuilder,
      run(verifyCommand),
    )
    .command(
      'rotate',
      'issue, store and prove a new client secret, then revoke the old one (--due: every due manifest entry)',
      rotateBuilder,
      run(rotateCommand),
    )
    .demandCommand(1, 'Name a command: onboard, plan, verify or rotate.')
    .strict()
    .version(version())
    .help()
    .alias('h', 'help')
    .wrap(null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new VaultProxyError('CONFIG_INVALID', `${message.replace(/\.?$/, '.')} Run \`vault-provision --help\`.`);
    });
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    printError(error);
    return exitCodeFor(error);
  }
}
