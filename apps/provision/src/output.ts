import { createOutput, type ErrorExtras } from '@raxx/cli-kit';
import { type StepReport, type StepStatus, VaultProxyError, type VerifyCheck } from '@raxx/vault-proxy';

const output = createOutput('vault-provision');

/** One line, or a result as pretty JSON (for `--json`), on standard output. */
export const { say, sayJson } = output;

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

/** What vault-provision adds to an error: the flag at fault (before the hint), the verify checks (after it). */
function errorExtras(error: VaultProxyError): ErrorExtras {
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  const flagged = field && (error.code === 'PROVISION_REFUSED' || error.code === 'CONFIG_INVALID') && /^[a-z]/.test(field);
  const checks = Array.isArray(error.details.checks)
    ? (error.details.checks as { name: string; expected: number; actual?: number; outcome: string }[])
    : [];
  return {
    before: flagged ? [`  flag: ${flagOf(field)}`] : [],
    after: checks.map((c) => `  ${c.outcome === 'pass' ? '✔' : '✖'} ${c.name}: expected ${c.expected}, got ${c.actual ?? 'no answer'}`),
  };
}

/** An error for people, on standard error: the message, the flag at fault, the hint, the verify checks. */
export function printError(error: unknown): void {
  output.printError(error, error instanceof VaultProxyError ? errorExtras(error) : undefined);
}
