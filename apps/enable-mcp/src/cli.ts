import { readFileSync } from 'node:fs';
import { exitCodeFor, VaultProxyError } from '@raxx/vault-proxy';
import yargs, { type Argv } from 'yargs';
import { checkCommand } from './commands/check.js';
import { disableCommand } from './commands/disable.js';
import { enableCommand } from './commands/enable.js';
import { type EntryArgs, entryBuilder, type TargetArgs, targetBuilder } from './mcp-flags.js';
import { type CliIo, printError, processIo } from './output.js';

function version(): string {
  // src/ and dist/ both sit one level below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * Run `enable-vault-mcp` on `args` and return the exit code. The one place
 * where errors become exit codes (`exitCodeFor`: 2 for configuration and
 * usage, 1 otherwise); `check` returns 1 when something is not ready.
 */
export async function runCli(args: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const json = args.includes('--json');
  const run =
    <A>(handler: (argv: A, io: CliIo) => Promise<number>) =>
    async (argv: unknown) => {
      exitCode = await handler(argv as A, io);
    };
  const parser: Argv = yargs([...args])
    .scriptName('enable-vault-mcp')
    .usage('$0 <command> [flags]\n\nWrite, check or remove the MCP config that points the Infisical MCP server at the local vault proxy.')
    .command('enable', 'write the Infisical MCP server entry (git-ignored, mode 0600)', entryBuilder, run<EntryArgs>(enableCommand))
    .command(
      'disable',
      'remove only the Infisical entry (and the file when nothing else is left)',
      targetBuilder,
      run<TargetArgs>(disableCommand),
    )
    .command('check', 'is the entry current, are the variables set, does the proxy answer', entryBuilder, run<EntryArgs>(checkCommand))
    .demandCommand(1, 'Name a command: enable, disable or check.')
    .strict()
    .version(version())
    .help()
    .alias('h', 'help')
    .wrap(null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new VaultProxyError('CONFIG_INVALID', `${message.replace(/\.?$/, '.')} Run \`enable-vault-mcp --help\`.`);
    });
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    printError(io, error, json);
    return exitCodeFor(error);
  }
}
