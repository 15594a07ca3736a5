import { exitCodeFor } from '@raxx/vault-proxy';
import type { CliOutput } from './cli-output.js';
import { describeError, type FlagNamer } from './error-report.js';

/** What {@link reportFailure} needs to print a failed command. @internal */
export interface FailureReporting {
  readonly output: CliOutput;
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** Results gathered before the failure (printed in the `--json` document only). */
  readonly partial: Readonly<Record<string, unknown>>;
  readonly flagFor: FlagNamer;
  /** Extra lines printed after the error's fix. */
  readonly errorLines?: (error: unknown) => string[];
}

/**
 * Print a command's failure the one way every CLI does (text on standard
 * error, or one `{ok: false, …partial, error}` document on standard output
 * under `--json`) and return its exit code (`exitCodeFor`). Shared by
 * {@link runCli} and {@link runDirect}, so a command fails alike whichever
 * parsed its flags.
 * @internal
 */
export function reportFailure(error: unknown, how: FailureReporting): number {
  if (how.json) how.output.sayJson({ ok: false, ...how.partial, error: describeError(error, how.flagFor) });
  else how.output.printError(error, how.errorLines?.(error) ?? []);
  return exitCodeFor(error);
}
