import { isVaultProxyError, VaultProxyError, type VaultProxyErrorCode } from '../errors.js';
import type { StepId, StepListener, StepReport, StepStatus } from './step-report.js';
import { StepRecorder } from './step-report.js';

/** `apply` changes the vault; `plan` only looks. */
export type RunMode = 'apply' | 'plan';

/** A step's definition: id, runbook number, title. @internal */
export interface StepDefinition {
  readonly id: StepId;
  readonly step: number;
  readonly title: string;
}

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
    this.#recorder.record(def.id, def.step, def.title, outcome.status, outcome.detail);
    return outcome.value;
  }

  /** Record a step as skipped without running it. */
  skip(id: StepId, detail: string): void {
    const def = this.#definition(id);
    this.#recorder.record(def.id, def.step, def.title, 'skipped', detail);
  }

  fail(def: StepDefinition, error: unknown): VaultProxyError {
    const inner = isVaultProxyError(error)
      ? error
      : new VaultProxyError('PROVISION_STEP_FAILED', 'unexpected failure', {
          details: { reason: error instanceof Error ? error.name : typeof error },
        });
    this.#recorder.record(def.id, def.step, def.title, 'failed', inner.message);
    for (const rest of this.#steps) {
      if (!this.#recorder.reports.some((r) => r.id === rest.id)) {
        this.#recorder.record(rest.id, rest.step, rest.title, 'skipped', `not run: step ${def.step} failed`);
      }
    }
    const code = OWN_CODES.has(inner.code) ? inner.code : 'PROVISION_STEP_FAILED';
    const resume =
      this.mode === 'apply' && code !== 'PROVISION_REFUSED'
        ? ' Fix the cause and rerun the same command: finished steps are found and kept.'
        : '';
    return new VaultProxyError(code, `Step ${def.step} (${def.title}) failed: ${inner.message}${resume}`, {
      cause: inner,
      details: { ...inner.details, step: def.id, stepNumber: def.step },
    });
  }
}

/** Whether an error is Infisical's answer with `status` (and, optionally, a message matching `pattern`). @internal */
export function isInfisicalStatus(error: unknown, status: number, pattern?: RegExp): boolean {
  if (!isVaultProxyError(error, 'INFISICAL_HTTP') || error.details.status !== status) return false;
  return pattern === undefined || pattern.test(String(error.details.message ?? ''));
}

/** `PROVISION_CONFLICT`: the vault holds something different from what was asked; it is reported, never replaced. @internal */
export function conflict(message: string, hint: string, details: Record<string, unknown> = {}): VaultProxyError {
  return new VaultProxyError('PROVISION_CONFLICT', `${message} ${hint}`, { details: { ...details, hint } });
}
