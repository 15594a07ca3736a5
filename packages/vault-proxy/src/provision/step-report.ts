/**
 * Steps 1–2, the start of every command. Each table lists a command's steps
 * in the order they run (their reports carry that position as `index`);
 * `runbookStep` is the runbook step a row carries out, kept as a label.
 */
const SIGN_IN = [
  { id: 'admin-login', runbookStep: 'Step 1', title: 'Authenticate as the admin identity' },
  { id: 'project', runbookStep: 'Step 2', title: 'Read the project and its organisation' },
] as const;

/** Steps 1–4 of the commands that work on an existing identity (look only). */
const FIND_IDENTITY = [
  ...SIGN_IN,
  { id: 'identity', runbookStep: 'Step 3', title: 'Find the machine identity' },
  { id: 'universal-auth', runbookStep: 'Step 4', title: 'Read its Universal Auth' },
] as const;

/**
 * The steps of the runbook's onboarding prompt, in the order they run. The
 * order differs from the runbook's numbering on purpose: the credentials
 * folder exists and the client id is stored (runbook Steps 6, 7) before the
 * client secret is issued (Step 5), so the secret can be stored the moment
 * it exists. Step 11 (wiring the MCP server) belongs to `enable-vault-mcp`.
 */
export const ONBOARD_STEPS = [
  ...SIGN_IN,
  { id: 'identity', runbookStep: 'Step 3', title: 'Machine identity (org role no-access)' },
  { id: 'universal-auth', runbookStep: 'Step 4', title: 'Universal Auth on the identity' },
  { id: 'creds-folder', runbookStep: 'Step 6', title: 'Vault folder for the credentials' },
  { id: 'store-client-id', runbookStep: 'Step 7', title: 'Store the client id' },
  { id: 'client-secret', runbookStep: 'Step 5', title: 'Issue, store and prove the client secret' },
  { id: 'membership', runbookStep: 'Step 8', title: 'Project membership (role no-access)' },
  { id: 'privilege', runbookStep: 'Step 9', title: 'Read-only additional privilege' },
  { id: 'verify', runbookStep: 'Step 10', title: 'Verify through the proxy' },
  { id: 'manifest', runbookStep: 'Step 12', title: 'Register in the rotation manifest' },
] as const;

/** The steps of `verify`: find the identity, then runbook Step 10. */
export const VERIFY_STEPS = [...FIND_IDENTITY, { id: 'verify', runbookStep: 'Step 10', title: 'Verify through the proxy' }] as const;

/**
 * The steps of `rotate`, in the order they run: a new client secret is
 * issued, stored and proved (runbook Step 5 again) before the old one is
 * revoked (no runbook step: onboarding has no old secret), so a working
 * stored secret exists at every moment.
 */
export const ROTATE_STEPS = [
  ...FIND_IDENTITY,
  { id: 'rotate-secret', runbookStep: 'Step 5', title: 'Issue, store and prove a new client secret' },
  { id: 'revoke-old', title: 'Revoke the previous client secret(s)' },
  { id: 'manifest', runbookStep: 'Step 12', title: 'Update the rotation manifest' },
] as const;

/** A step's stable id. */
export type StepId = (typeof ONBOARD_STEPS)[number]['id'] | (typeof ROTATE_STEPS)[number]['id'];

/**
 * What a step did: `done` (changed something, or a read-only step ran),
 * `already-done` (the vault was already as wanted), `failed`, `skipped`
 * (not run: an earlier step failed, or not asked for), `would-do` (plan
 * mode: it would change something).
 */
export type StepStatus = 'done' | 'already-done' | 'failed' | 'skipped' | 'would-do';

/** One row of a command's step table: what a step is, before it runs. @internal */
export interface StepDefinition {
  readonly id: StepId;
  /** The runbook step it carries out, e.g. `Step 5`; absent when the runbook has none. */
  readonly runbookStep?: string;
  readonly title: string;
}

/** One step's outcome. Every field is safe to print; `detail` never holds a secret. */
export interface StepReport {
  /**
   * Position in the run, from 1: reports arrive (and print) in this order,
   * the steps skipped after a failure included. `rotate --due` counts from 1
   * again for each identity.
   */
  readonly index: number;
  /**
   * The runbook step this one carries out, as a label (`Step 5`); absent when
   * the runbook has no such step. Onboarding runs runbook Steps 6 and 7
   * before Step 5, so labels are not in order: `index` is.
   */
  readonly runbookStep?: string;
  /** Stable id, e.g. `client-secret`. */
  readonly id: StepId;
  readonly title: string;
  readonly status: StepStatus;
  /** One line: what was found or done, or why it failed. */
  readonly detail: string;
  /** The identity the step was about, when a command handles several (`rotate --due`). */
  readonly identity?: string;
}

/** What a command that signed in as the admin and found the identity reports about it. Ids only. */
export interface IdentityRunResult {
  /** Every step's report, in run order. */
  readonly steps: readonly StepReport[];
  /** The identity's id. */
  readonly identityId: string;
  /** Its universal-auth client id. */
  readonly clientId: string;
}

/** Receives each step's report as soon as it is known (apps print from here). */
export type StepListener = (report: StepReport) => void;

/** Numbers reports in the order they are recorded, keeps them, and forwards each to the listener. @internal */
export class StepRecorder {
  readonly reports: StepReport[] = [];
  readonly #listener: StepListener | undefined;

  constructor(listener?: StepListener) {
    this.#listener = listener;
  }

  /** Record `step`'s outcome as the next report of the run. */
  record(step: StepDefinition, status: StepStatus, detail: string): StepReport {
    const { id, runbookStep, title } = step;
    const report: StepReport = { index: this.reports.length + 1, ...(runbookStep ? { runbookStep } : {}), id, title, status, detail };
    this.reports.push(report);
    this.#listener?.(report);
    return report;
  }
}
