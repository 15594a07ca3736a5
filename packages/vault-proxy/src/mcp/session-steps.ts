/**
 * The steps of a session start, in the order they run. `runbookStep` is the
 * step of docs/runbook.md §Session start each carries out: the identity's
 * login and read (step 6) are checked before the config is written (step 4),
 * so a session that cannot read leaves no config behind.
 */
export const SESSION_STEPS = [
  { id: 'access-token', runbookStep: 1, title: 'Cloudflare Access token in the environment' },
  { id: 'proxy', runbookStep: 2, title: 'Vault proxy' },
  { id: 'vault-status', runbookStep: 2, title: 'The vault answers through the proxy' },
  { id: 'credentials', runbookStep: 3, title: 'The MCP identity’s credentials, read as the admin identity' },
  { id: 'verify', runbookStep: 6, title: 'Login and read as the MCP identity, through the proxy' },
  { id: 'mcp-config', runbookStep: 4, title: 'The MCP config' },
] as const;

/** A session step's stable id. */
export type SessionStepId = (typeof SESSION_STEPS)[number]['id'];

/** `done` (ran, or changed something), `already-done` (was already as wanted), `skipped` (not needed). */
export type SessionStepStatus = 'done' | 'already-done' | 'skipped';

/** What one step did. Names, paths and statuses only, never a value. */
export interface SessionStep {
  readonly id: SessionStepId;
  /** The step of docs/runbook.md §Session start it carries out. */
  readonly runbookStep: number;
  readonly title: string;
  readonly status: SessionStepStatus;
  readonly detail: string;
}

/** Receives each step as soon as it is done (apps print progress from here). */
export type SessionStepListener = (step: SessionStep) => void;

/** Keeps the steps of one run and hands each to the listener. @internal */
export class SessionSteps {
  readonly done: SessionStep[] = [];
  readonly #listener: SessionStepListener | undefined;

  constructor(listener?: SessionStepListener) {
    this.#listener = listener;
  }

  /** Record step `id` with its outcome. */
  record(id: SessionStepId, status: SessionStepStatus, detail: string): void {
    const row = SESSION_STEPS.find((s) => s.id === id) as (typeof SESSION_STEPS)[number];
    const step: SessionStep = { id, runbookStep: row.runbookStep, title: row.title, status, detail };
    this.done.push(step);
    this.#listener?.(step);
  }
}
