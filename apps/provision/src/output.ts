import { type StepReport, type StepStatus, VaultProxyError, type VerifyCheck } from '@raxx/vault-proxy';

const MARKS: Record<StepStatus, string> = {
  done: '✔',
  'already-done': '•',
  failed: '✖',
  'would-do': '→',
  skipped: '-',
};

const WORDS: Record<StepStatus, string> = {
  done: 'done',
  'already-done': 'already done',
  failed: 'failed',
  'would-do': 'would do',
  skipped: 'skipped',
};

/** One line to standard output. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** A result as pretty JSON on standard output (for `--json`). */
export function sayJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One step as it runs: `✔ 3 Machine identity — done: created …`. */
export function stepLine(report: StepReport): string {
  const who = report.identity ? `[${report.identity}] ` : '';
  return `${MARKS[report.status]} ${who}${report.step} ${report.title} — ${WORDS[report.status]}: ${report.detail}`;
}

/** The verify checks, one per line, indented under the verify step. */
export function checkLines(checks: readonly VerifyCheck[]): string[] {
  return checks.map((c) => `    ${c.outcome === 'pass' ? '✔' : c.outcome === 'fail' ? '✖' : '-'} ${c.name}: ${c.detail}`);
}

/** `identityName` → `--identity-name`. */
export function flagOf(field: string): string {
  return /^[a-z][a-zA-Z]*$/.test(field) ? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : field;
}

/** The secret-free JSON form of an error for `--json`. */
export function errorJson(error: unknown): { code: string; message: string; details?: unknown } {
  if (error instanceof VaultProxyError) return { code: error.code, message: error.message, details: error.details };
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.name : 'unexpected failure' };
}

/** An error for people, on standard error: the message, the flag at fault, the hint. */
export function printError(error: unknown): void {
  if (error instanceof VaultProxyError) {
    process.stderr.write(`vault-provision: error: ${error.message}\n`);
    const field = typeof error.details.field === 'string' ? error.details.field : undefined;
    if (field && (error.code === 'PROVISION_REFUSED' || error.code === 'CONFIG_INVALID') && /^[a-z]/.test(field)) {
      process.stderr.write(`  flag: ${flagOf(field)}\n`);
    }
    const hint = typeof error.details.hint === 'string' ? error.details.hint : undefined;
    if (hint && !error.message.includes(hint)) process.stderr.write(`  fix: ${hint}\n`);
    const checks = error.details.checks;
    if (Array.isArray(checks)) {
      for (const c of checks as { name: string; expected: number; actual?: number; outcome: string }[]) {
        process.stderr.write(`  ${c.outcome === 'pass' ? '✔' : '✖'} ${c.name}: expected ${c.expected}, got ${c.actual ?? 'no answer'}\n`);
      }
    }
    return;
  }
  // Not our error: its name only (a foreign message could carry anything).
  process.stderr.write(`vault-provision: unexpected error (${error instanceof Error ? error.name : typeof error})\n`);
}

/** Let buffered output reach its pipe, then exit. */
export function flushAndExit(code: number): void {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
