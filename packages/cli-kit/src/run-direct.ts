import { parseArgs } from 'node:util';
import { type CliIo, processIo } from './cli-io.js';
import { createOutput } from './cli-output.js';
import { reportFailure } from './command-failure.js';
import { settingFlagFor } from './env-help.js';
import { type FlagNamer, flagOf } from './error-report.js';
import type { CliContext } from './run-cli.js';

/** A flag {@link runDirect} reads: `string` (value as given) or `boolean` (present or not). */
export type DirectFlag = 'string' | 'boolean';

/** What {@link runDirect} runs. */
export interface RunDirectOptions<A> {
  /** The bin name (message prefix). */
  readonly name: string;
  /** The command word, e.g. `start`. */
  readonly command: string;
  /** The command's flags in kebab case, each read once; anything else goes to the full parser. */
  readonly flags: Readonly<Record<string, DirectFlag>>;
  /** The same handler the full parser calls, with the same camel-cased flags. */
  readonly handler: (argv: A, context: CliContext) => Promise<number>;
  /** The arguments, without node and the script. */
  readonly args: readonly string[];
  /** Where output goes. Default: the process streams. */
  readonly io?: CliIo;
  /** How a library option is named on this command line. Default: the settings table's flag, else kebab case. */
  readonly flagFor?: FlagNamer;
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Run one command without loading the full parser, when its arguments are
 * plain: the command word, then known flags each given once, `--flag value`
 * or `--flag=value` (booleans bare). Resolves `undefined` for anything else
 * (help, a typo, a repeated flag, another command), and the caller hands the
 * arguments to {@link runCli}, which accepts or refuses them the one way. It
 * exists for `vault-proxy start`, whose time to listening is a product
 * target: yargs costs about as much to load as the proxy itself. Failures
 * are printed and mapped to exit codes exactly as {@link runCli} does.
 *
 * @example
 * ```ts
 * runMain(async (args) => (await runDirect({ name, command: 'start', flags, handler, args })) ?? fullCli(args));
 * ```
 */
export async function runDirect<A>(options: RunDirectOptions<A>): Promise<number | undefined> {
  const args = options.args.filter((arg) => arg !== '--');
  if (args[0] !== options.command) return undefined;
  const parserOptions = Object.fromEntries(Object.entries(options.flags).map(([flag, type]) => [flag, { type }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: args.slice(1), options: parserOptions, strict: true, allowPositionals: false, tokens: true });
  } catch {
    return undefined;
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    // yargs turns a repeated flag into a list; leave that (and its refusal) to it.
    if (seen.has(token.name)) return undefined;
    seen.add(token.name);
  }
  const argv: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(parsed.values)) {
    argv[flag] = value;
    argv[camel(flag)] = value;
  }
  const flagFor = options.flagFor ?? ((option: string) => settingFlagFor(option) ?? flagOf(option));
  const output = createOutput(options.name, options.io ?? processIo, flagFor);
  const context: CliContext = { output, json: argv.json === true, partial: {} };
  try {
    return await options.handler(argv as A, context);
  } catch (error) {
    return reportFailure(error, { output, json: context.json, partial: context.partial, flagFor });
  }
}
