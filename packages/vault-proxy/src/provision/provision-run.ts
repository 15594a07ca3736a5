import { isVaultProxyError, VaultProxyError, type VaultProxyErrorCode } from '../errors.js';
import { type StepDefinition, type StepId, type StepListener, StepRecorder, type StepReport, type StepStatus } from './step-report.js';

/** `apply` changes the vault; `plan` only looks. */
export type RunMode = 'apply' | 'plan';

/** What a step body returns. @internal */
export interface StepOutcome<T = undefined> {
  readonly status: Exclude<StepStatus, 'failed'>;
  readonly detail: string;
  readonly value?: T;
}

/** Codes a step lets through unchanged; anything else becomes `PROVISION_STEP_FAILED`. */
const OWN_CODES: ReadonlySet<VaultProxyErrorCode> = new Set([
  'PROVISION_CONFLICT',
  'PROVISION_REFUSED',
  'PROVISION_STEP_FAILED',
  'VERIFY_FAILED',
  'MANIFEST_INVALID',
  'CONFIG_INVALID',
]);

/** How a step is named in messages: its position in the run, its title and, when there is one, its runbook step. */
function stepName(report: StepReport): string {
  return `Step ${report.index} (${report.title}${report.runbookStep ? `, runbook ${report.runbookStep}` : ''})`;
}

/**
 * Runs a command's steps in order: records each outcome (and tells the
 * listener), and on the first failure records it, marks the remaining
 * steps skipped, and throws a `VaultProxyError` naming the step.
 * @internal
 */
export class ProvisionRun {
  readonly mode: RunMode;
  readonly #steps: readonly StepDefinition[];
  readonly #recorder: StepRecorder;

  constructor(mode: RunMode, steps: readonly StepDefinition[], listener?: StepListener) {
    this.mode = mode;
    this.#steps = steps;
    this.#recorder = new StepRecorder(listener);
  }

  /** Reports so far, in run order. */
  get reports(): readonly StepReport[] {
    return this.#recorder.reports;
  }

  #definition(id: StepId): StepDefinition {
    const def = this.#steps.find((s) => s.id === id);
    if (!def) throw new Error(`unknown step ${id}`);
    return def;
  }

  /** Run one step body; its outcome is recorded, a failure is recorded and thrown. */
  async step<T = undefined>(id: StepId, body: () => Promise<StepOutcome<T>>): Promise<T | undefined> {
    const def = this.#definition(id);
    let outcome: StepOutcome<T>;
    try {
      outcome = await body();
    } catch (error) {
      throw this.fail(def, error);
    }
    this.#recorder.record(def, outcome.status, outcome.detail);
    return outcome.value;
  }

  /** Record a step as skipped without running it. */
  skip(id: StepId, detail: string): void {
    this.#recorder.record(this.#definition(id), 'skipped', detail);
  }

  /** Record `def` as failed and every step not reported yet as skipped; the error to throw names the step. */
  fail(def: StepDefinition, error: unknown): VaultProxyError {
    const inner = isVaultProxyError(error)
      ? error
      : new VaultProxyError('PROVISION_STEP_FAILED', 'unexpected failure', {
          details: { reason: error instanceof Error ? error.name : typeof error },
        });
    const failed = this.#recorder.record(def, 'failed', inner.message);
    for (const rest of this.#steps) {
      if (!this.#recorder.reports.some((r) => r.id === rest.id)) {
        this.#recorder.record(rest, 'skipped', `not run: step ${failed.index} failed`);
      }
    }
    const code = OWN_CODES.has(inner.code) ? inner.code : 'PROVISION_STEP_FAILED';
    return new VaultProxyError(code, `${stepName(failed)} failed: ${inner.message}${resumeText(this.mode, code)}`, {
      cause: inner,
      details: { ...inner.details, step: def.id, stepIndex: failed.index, ...(def.runbookStep ? { runbookStep: def.runbookStep } : {}) },
    });
  }
}

/**
 * What to do after a failed run. A conflict's own hint says what to change (in Infisical, or
 * which flags to pass), so it is not "the same command"; a refusal changed nothing.
 */
function resumeText(mode: RunMode, code: VaultProxyErrorCode): string {
  if (mode !== 'apply' || code === 'PROVISION_REFUSED') return '';
  if (code === 'PROVISION_CONFLICT') return ' Rerun once that is done: finished steps are found and kept.';
  return ' Fix the cause and rerun the same command: finished steps are found and kept.';
}

/** `PROVISION_CONFLICT`: the vault holds something different from what was asked; it is reported, never replaced. @internal */
export function conflict(message: string, hint: string, details: Record<string, unknown> = {}): VaultProxyError {
  return new VaultProxyError('PROVISION_CONFLICT', `${message} ${hint}`, { details: { ...details, hint } });
}
