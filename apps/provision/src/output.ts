import { VaultProxyError } from '@raxx/vault-proxy';
import type { StepReport, StepStatus, VerifyCheck } from '@raxx/vault-proxy/provision';

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

/**
 * One step as it runs: `✔ 7. Issue, store and prove the client secret (runbook Step 5) — done: …`.
 * The number is the step's place in the run, so lines count up; the step's number in
 * docs/runbook.md §Onboarding (onboarding runs its Steps 6 and 7 before 5) is shown as a label.
 */
export function stepLine(report: StepReport): string {
  const who = report.identity ? `[${report.identity}] ` : '';
  const runbook = report.runbookStep ? ` (runbook ${report.runbookStep})` : '';
  return `${MARKS[report.status]} ${who}${report.index}. ${report.title}${runbook} — ${WORDS[report.status]}: ${report.detail}`;
}

/** The verify checks, one per line, indented under the verify step. */
export function checkLines(checks: readonly VerifyCheck[]): string[] {
  return checks.map((c) => `    ${c.outcome === 'pass' ? '✔' : c.outcome === 'fail' ? '✖' : '-'} ${c.name}: ${c.detail}`);
}

/** The verify checks a failed verification carries, printed after its fix line. */
export function errorLines(error: unknown): string[] {
  if (!(error instanceof VaultProxyError) || !Array.isArray(error.details.checks)) return [];
  const checks = error.details.checks as { name: string; expected: number; actual?: number; outcome: string }[];
  return checks.map((c) => `  ${c.outcome === 'pass' ? '✔' : '✖'} ${c.name}: expected ${c.expected}, got ${c.actual ?? 'no answer'}`);
}
