import { exitCodeFor, VaultProxyError } from '@raxx/vault-proxy';
import yargs, { type Argv } from 'yargs';
import { type CliIo, processIo } from './cli-io.js';
import { createOutput } from './cli-output.js';

/** One command of a CLI. */
export interface CliCommand<A = never> {
  /** The command as yargs takes it, e.g. `start` (its first word names it). */
  readonly command: string;
  /** One line for `--help`. */
  readonly describe: string;
  /** Declares the command's flags. Default: none. */
  readonly builder?: (y: Argv) => Argv;
  /** Runs the command with the parsed flags; resolves the exit code (0 ok, 1 not healthy). */
  readonly handler: (argv: A) => Promise<number>;
}

/** What {@link runCli} runs. */
export interface RunCliOptions {
  /** The bin name: the script name in help, the message prefix and the `--help` hint of usage errors. */
  readonly name: string;
  /** What the CLI does, printed under `<name> <command> [flags]` in `--help`. */
  readonly usage: string;
  /** The commands; one of them is required. */
  readonly commands: readonly CliCommand[];
  /** The arguments, without node and the script (`hideBin(process.argv)`). */
  readonly args: readonly string[];
  /** What `--version` prints (see `packageVersion`). */
  readonly version: string;
  /** Where the default error printer writes. Default: the process streams. */
  readonly io?: CliIo;
  /**
   * Prints an error before it becomes an exit code, instead of the default
   * `createOutput(name, io).printError` (e.g. as JSON for `--json`).
   */
  readonly onError?: (error: unknown) => void;
}

/** `a, b or c`. */
function listOf(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * Parse `args`, run the command they name and resolve its exit code. The one
 * place where errors become exit codes (`exitCodeFor`: 2 for configuration,
 * usage and refused input, 3 for a taken port, 1 otherwise); usage errors
 * become `CONFIG_INVALID` naming `<name> --help`.
 */
export async function runCli(options: RunCliOptions): Promise<number> {
  const { name } = options;
  let exitCode = 0;
  // `pnpm --filter x start -- --flag` forwards the `--` itself; no command here takes positionals, so drop it.
  let parser: Argv = yargs(options.args.filter((arg) => arg !== '--'))
    .scriptName(name)
    .usage(`$0 <command> [flags]\n\n${options.usage}`);
  for (const c of options.commands) {
    parser = parser.command(c.command, c.describe, c.builder ?? ((y) => y), async (argv: unknown) => {
      exitCode = await c.handler(argv as never);
    });
  }
  parser = parser
    .demandCommand(1, `Name a command: ${listOf(options.commands.map((c) => c.command.split(' ')[0] ?? c.command))}.`)
    .strict()
    .version(options.version)
    .help()
    .alias('h', 'help')
    .wrap(null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new VaultProxyError('CONFIG_INVALID', `${message.replace(/\.?$/, '.')} Run \`${name} --help\`.`);
    });
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    (options.onError ?? createOutput(name, options.io ?? processIo).printError)(error);
    return exitCodeFor(error);
  }
}
