import { type CliIo, processIo } from './cli-io.js';
import { describeError, type FlagNamer } from './error-report.js';

/** Outcome of one step or check, printed the same way by every CLI. */
export type Outcome = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

/** One step or check as a line: mark, title, detail, and a fix under a failure. */
export interface OutcomeLine {
  readonly outcome: Outcome;
  readonly title: string;
  readonly detail?: string;
  /** Printed under the line (indented) when the outcome is not a pass. */
  readonly fix?: string;
}

const MARKS: Readonly<Record<Outcome, string>> = { pass: '✔', fail: '✖', warn: '!', skip: '–', info: '•' };

/** The output helpers of one CLI, bound to its name (the message prefix) and its io. */
export interface CliOutput {
  /** One line to standard output (an empty line by default). */
  say(line?: string): void;
  /** A result object as pretty JSON on standard output (for `--json`). */
  sayJson(value: unknown): void;
  /** `<name>: warning: <line>` on standard error. */
  warn(line: string): void;
  /** A step or check as one line (plus an indented fix line). */
  outcome(line: OutcomeLine): void;
  /**
   * An error for people, on standard error: `<name>: error: <message>`
   * naming the flag at fault, then `  fix: <hint>`, then `after` lines.
   */
  printError(error: unknown, after?: readonly string[]): void;
}

/** A check mark or a cross. */
export function mark(ok: boolean): string {
  return ok ? MARKS.pass : MARKS.fail;
}

/** The lines of a step or check, as {@link CliOutput.outcome} prints them. */
export function outcomeLines(line: OutcomeLine): string[] {
  const lines = [`${MARKS[line.outcome]} ${line.title}${line.detail ? `: ${line.detail}` : ''}`];
  if (line.fix && line.outcome !== 'pass') lines.push(`    fix: ${line.fix}`);
  return lines;
}

/** The output helpers of the CLI `name`, writing to `io` (default: the process streams). */
export function createOutput(name: string, io: CliIo = processIo, flagFor?: FlagNamer): CliOutput {
  return {
    say: (line = '') => io.out(line),
    sayJson: (value) => io.out(JSON.stringify(value, null, 2)),
    warn: (line) => io.err(`${name}: warning: ${line}`),
    outcome: (line) => {
      for (const l of outcomeLines(line)) io.out(l);
    },
    printError(error, after = []) {
      const report = describeError(error, flagFor);
      io.err(`${name}: ${report.code === 'UNEXPECTED' ? '' : 'error: '}${report.message}`);
      if (report.hint) io.err(`  fix: ${report.hint}`);
      for (const line of after) io.err(line);
    },
  };
}
