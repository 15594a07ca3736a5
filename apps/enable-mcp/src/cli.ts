import { type CliCommand, flagOf, packageVersion, runCli as runKitCli, settingFlagFor } from '@raxx/cli-kit';
import { checkCommand } from './commands/check.js';
import { disableCommand } from './commands/disable.js';
import { enableCommand } from './commands/enable.js';
import { type EntryArgs, entryBuilder, type TargetArgs, targetBuilder } from './mcp-flags.js';
import { type CliIo, processIo } from './output.js';

/**
 * Run `enable-vault-mcp` on `args` and return the exit code (`runCli` of the
 * kit: 2 for configuration, usage and refused input, 1 otherwise); `check`
 * returns 1 when something is not ready. Errors print the kit's one way
 * (JSON on standard output under `--json`).
 */
export function runCli(args: readonly string[], io: CliIo = processIo): Promise<number> {
  const enable: CliCommand<EntryArgs> = {
    command: 'enable',
    describe: 'write the Infisical MCP server entry (git-ignored, mode 0600)',
    builder: entryBuilder,
    handler: (argv, context) => enableCommand(argv, io, context),
  };
  const disable: CliCommand<TargetArgs> = {
    command: 'disable',
    describe: 'remove only the Infisical entry (and the file when nothing else is left)',
    builder: targetBuilder,
    handler: (argv, context) => disableCommand(argv, io, context),
  };
  const check: CliCommand<EntryArgs> = {
    command: 'check',
    describe: 'is the entry current, are the variables set, does the proxy answer',
    builder: entryBuilder,
    handler: (argv, context) => checkCommand(argv, io, context),
  };
  return runKitCli({
    name: 'enable-vault-mcp',
    usage: 'Write, check or remove the MCP config that points the Infisical MCP server at the local vault proxy.',
    commands: [enable, disable, check],
    args,
    version: packageVersion(new URL('../package.json', import.meta.url)),
    io,
    // `packageSpec` is the one option whose flag is not its kebab-case name.
    flagFor: (option) => (option === 'packageSpec' ? '--package' : (settingFlagFor(option) ?? flagOf(option))),
  });
}
