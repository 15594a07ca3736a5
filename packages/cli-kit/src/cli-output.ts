import { VaultProxyError } from '@raxx/vault-proxy';
import { type CliIo, processIo } from './cli-io.js';

/** Lines an app adds to one of its errors, around the fix hint. */
export interface ErrorExtras {
  /** Printed after the message, before the fix hint (e.g. the flag at fault). */
  readonly before?: readonly string[];
  /** Printed after the fix hint (e.g. the checks that failed). */
  readonly after?: readonly string[];
}

/** The output helpers of one CLI, bound to its name (the message prefix) and its io. */
export interface CliOutput {
  /** One line to standard output (an empty line by default). */
  say(line?: string): void;
  /** A result object as pretty JSON on standard output (for `--json`). */
  sayJson(value: unknown): void;
  /** `<name>: warning: <line>` on standard error. */
  warn(line: string): void;
  /**
   * An error for people, on standard error: `<name>: error: <message>`, the
   * `extras.before` lines, `  fix: <hint>` when the message does not already
   * hold the hint, then the `extras.after` lines. An error that is not a
   * `VaultProxyError` shows only its name: a foreign message could carry anything.
   */
  printError(error: unknown, extras?: ErrorExtras): void;
}

/** The output helpers of the CLI `name`, writing to `io` (default: the process streams). */
export function createOutput(name: string, io: CliIo = processIo): CliOutput {
  return {
    say: (line = '') => io.out(line),
    sayJson: (value) => io.out(JSON.stringify(value, null, 2)),
    warn: (line) => io.err(`${name}: warning: ${line}`),
    printError(error, extras = {}) {
      if (!(error instanceof VaultProxyError)) {
        io.err(`${name}: unexpected error (${error instanceof Error ? error.name : typeof error})`);
        return;
      }
      io.err(`${name}: error: ${error.message}`);
      for (const line of extras.before ?? []) io.err(line);
      const hint = typeof error.details.hint === 'string' ? error.details.hint : undefined;
      if (hint && !error.message.includes(hint)) io.err(`  fix: ${hint}`);
      for (const line of extras.after ?? []) io.err(line);
    },
  };
}

/** A check mark or a cross. */
export function mark(ok: boolean): string {
  return ok ? '✔' : '✖';
}
