import { type CliCommand, flagOf, packageVersion, runCli as runKitCli, settingFlagFor } from '@raxx/cli-kit';
import { checkCommand } from './commands/check.js';
import { disableCommand } from './commands/disable.js';
import { enableCommand } from './commands/enable.js';
import { type SessionArgs, sessionBuilder, sessionCommand } from './commands/session.js';
import { type EntryArgs, entryBuilder, type TargetArgs, targetBuilder } from './mcp-flags.js';
import { type CliIo, processIo } from './output.js';

/** `--print-env` in any spelling yargs reads as set (`--print-env`, `--print-env=true`, `--printEnv`). */
function printsEnv(args: readonly string[]): boolean {
  return args.some((arg) => /^--print-?env(=(?!false$).*)?$/i.test(arg));
}

/**
 * Run `enable-vault-mcp` on `args` and return the exit code (`runCli` of the
 * kit: 2 for configuration, usage and refused input, 1 otherwise); `check`
 * returns 1 when something is not ready. Errors print the kit's one way
 * (JSON on standard output under `--json`). With `--print-env`, standard
 * output is kept for `session`'s export lines alone, as `ssh-agent -s` does,
 * so `eval "$(…)"` never runs anything else: every other line, errors and
 * `--json` included, goes to standard error.
 */
export function runCli(args: readonly string[], io: CliIo = processIo): Promise<number> {
  const shown: CliIo = printsEnv(args) ? { ...io, out: io.err } : io;
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
  const session: CliCommand<SessionArgs> = {
    command: 'session',
    describe: 'docs/runbook.md §Session start in one command: proxy, credentials, end-to-end check, MCP config',
    builder: sessionBuilder,
    handler: (argv, context) => sessionCommand(argv, io, context),
  };
  return runKitCli({
    name: 'enable-vault-mcp',
    usage:
      'Start a vault session for an agent (session), or write, check or remove the MCP config that points the Infisical MCP server at the local vault proxy.',
    commands: [enable, disable, check, session],
    args,
    version: packageVersion(new URL('../package.json', import.meta.url)),
    io: shown,
    // `packageSpec` is the one option whose flag is not its kebab-case name.
    flagFor: (option) => (option === 'packageSpec' ? '--package' : (settingFlagFor(option) ?? flagOf(option))),
  });
}
