/** Steps 1–2, the start of every command. */
const SIGN_IN = [
  { id: 'admin-login', step: 1, title: 'Authenticate as the admin identity' },
  { id: 'project', step: 2, title: 'Read the project and its organisation' },
] as const;

/** Steps 1–4 of the commands that work on an existing identity (look only). */
const FIND_IDENTITY = [
  ...SIGN_IN,
  { id: 'identity', step: 3, title: 'Find the machine identity' },
  { id: 'universal-auth', step: 4, title: 'Read its Universal Auth' },
] as const;

/**
 * The steps of the runbook's onboarding prompt (numbers are the prompt's),
 * in the order they run. The order differs from the numbering on purpose:
 * the credentials folder exists and the client id is stored (6, 7) before
 * the client secret is issued (5), so the secret can be stored the moment it
 * exists. Step 11 (wiring the MCP server) belongs to `enable-vault-mcp`.
 */
export const ONBOARD_STEPS = [
  ...SIGN_IN,
  { id: 'identity', step: 3, title: 'Machine identity (org role no-access)' },
  { id: 'universal-auth', step: 4, title: 'Universal Auth on the identity' },
  { id: 'creds-folder', step: 6, title: 'Vault folder for the credentials' },
  { id: 'store-client-id', step: 7, title: 'Store the client id' },
  { id: 'client-secret', step: 5, title: 'Issue, store and prove the client secret' },
  { id: 'membership', step: 8, title: 'Project membership (role no-access)' },
  { id: 'privilege', step: 9, title: 'Read-only additional privilege' },
  { id: 'verify', step: 10, title: 'Verify through the proxy' },
  { id: 'manifest', step: 12, title: 'Register in the rotation manifest' },
] as const;

/** The steps of `verify`: find the identity, then Step 10. */
export const VERIFY_STEPS = [...FIND_IDENTITY, { id: 'verify', step: 10, title: 'Verify through the proxy' }] as const;

/**
 * The steps of `rotate` (numbered in run order): a new client secret is
 * issued, stored and proved before the old one is revoked, so a working
 * stored secret exists at every moment.
 */
export const ROTATE_STEPS = [
  ...FIND_IDENTITY,
  { id: 'rotate-secret', step: 5, title: 'Issue, store and prove a new client secret' },
  { id: 'revoke-old', step: 6, title: 'Revoke the previous client secret(s)' },
  { id: 'manifest', step: 7, title: 'Update the rotation manifest' },
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

/** One step's outcome. Every field is safe to print; `detail` never holds a secret. */
export interface StepReport {
  /** The runbook's step number. */
  readonly step: number;
  /** Stable id, e.g. `client-secret`. */
  readonly id: StepId;
  readonly title: string;
  readonly status: StepStatus;
  /** One line: what was found or done, or why it failed. */
  readonly detail: string;
  /** The identity the step was about, when a command handles several (`rotate --due`). */
  readonly identity?: string;
}

/** Receives each step's report as soon as it is known (apps print from here). */
export type StepListener = (report: StepReport) => void;

/** Collects reports and forwards them to the listener. @internal */
export class StepRecorder {
  readonly reports: StepReport[] = [];
  readonly #listener: StepListener | undefined;

  constructor(listener?: StepListener) {
    this.#listener = listener;
  }

  record(id: StepId, step: number, title: string, status: StepStatus, detail: string): StepReport {
    const report: StepReport = { step, id, title, status, detail };
    this.reports.push(report);
    this.#listener?.(report);
    return report;
  }
}
