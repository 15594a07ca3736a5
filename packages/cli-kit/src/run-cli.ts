import { VaultProxyError } from '@raxx/vault-proxy';
import type { Argv } from 'yargs';
import { type CliIo, processIo } from './cli-io.js';
import { type CliOutput, createOutput } from './cli-output.js';
import { reportFailure } from './command-failure.js';
import { settingFlagFor } from './env-help.js';
import { type FlagNamer, flagOf } from './error-report.js';

/** What a command handler gets besides its flags. */
export interface CliContext {
  /** The CLI's output helpers (its name, its io). */
  readonly output: CliOutput;
  /** Whether `--json` was given: print one JSON document on standard output, nothing else there. */
  readonly json: boolean;
  /**
   * Results gathered so far (e.g. the steps that ran). If the command then
   * fails, they are printed with the error: in the `--json` document, and
   * nowhere else (text output printed them as they happened).
   */
  readonly partial: Record<string, unknown>;
}

/** One command of a CLI. */
export interface CliCommand<A = never> {
  /** The command as yargs takes it, e.g. `start` (its first word names it). */
  readonly command: string;
  /** One line for `--help`. */
  readonly describe: string;
  /** Declares the command's flags. Default: none. */
  readonly builder?: (y: Argv) => Argv;
  /** Runs the command with the parsed flags; resolves the exit code (0 ok, 1 not healthy). */
  readonly handler: (argv: A, context: CliContext) => Promise<number>;
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
  /** Where output goes. Default: the process streams. */
  readonly io?: CliIo;
  /** How a library option is named on this command line. Default: the settings table's flag, else the option in kebab case. */
  readonly flagFor?: FlagNamer;
  /** Extra lines printed after an error's fix (e.g. the verify checks a failure carries). Default: none. */
  readonly errorLines?: (error: unknown) => string[];
}

/** `a, b or c`. */
function listOf(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

const defaultFlagFor: FlagNamer = (option) => settingFlagFor(option) ?? flagOf(option);

/**
 * Parse `args`, run the command they name and resolve its exit code. The one
 * place where errors are printed (text on standard error, or with `--json`
 * one `{ok: false, error, …partial}` document on standard output) and become
 * exit codes (`exitCodeFor`: 2 for configuration, usage and refused input,
 * 3 for a taken port, 1 otherwise).
 *
 * @example
 * ```ts
 * runMain((args) => runCli({ name: 'vault-proxy', usage: '…', commands, args, version: '1.0.0' }));
 * ```
 */
export async function runCli(options: RunCliOptions): Promise<number> {
  const { name } = options;
  const io = options.io ?? processIo;
  const flagFor = options.flagFor ?? defaultFlagFor;
  const output = createOutput(name, io, flagFor);
  // `pnpm --filter x start -- --flag` forwards the `--` itself; no command here takes positionals, so drop it.
  const args = options.args.filter((arg) => arg !== '--');
  const context: CliContext = { output, json: args.includes('--json'), partial: {} };
  let exitCode = 0;
  // Loaded here, not at the top: `runDirect` commands never need it (see run-direct.ts).
  const { default: yargs } = await import('yargs');
  let parser: Argv = yargs(args).scriptName(name).usage(`$0 <command> [flags]\n\n${options.usage}`);
  for (const c of options.commands) {
    parser = parser.command(c.command, c.describe, c.builder ?? ((y) => y), async (argv: unknown) => {
      exitCode = await c.handler(argv as never, context);
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
      throw (
        error ?? new VaultProxyError('CONFIG_INVALID', `${message.replace(/\.?$/, '.')}`, { details: { hint: `Run \`${name} --help\`.` } })
      );
    });
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    return reportFailure(error, { output, json: context.json, partial: context.partial, flagFor, errorLines: options.errorLines });
  }
}
