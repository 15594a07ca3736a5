import type { IdentityInUse } from './identity-in-use.js';

/** A failure mode of docs/runbook.md (§Failure mode A … §Failure mode E). */
export type FailureMode = 'A' | 'B' | 'C' | 'D' | 'E';

/** The doctor's checks, in the order of docs/runbook.md §Diagnosis. */
export type DoctorCheckId = 'proxy-running' | 'vault-status' | 'mcp-login' | 'probe-secret' | 'mcp-config';

/** One check's outcome. Every field is safe to print: no secret value ever goes in. */
export interface DoctorCheck {
  /** Stable id. */
  readonly id: DoctorCheckId;
  /** What was checked, in a few words. */
  readonly title: string;
  /**
   * `skipped` when an earlier check it depends on failed; `warn` when it did
   * not run for want of input, which is no failure (check D without a probe key).
   */
  readonly status: 'pass' | 'warn' | 'fail' | 'skipped';
  /** Nothing wrong was found: `status` is `pass` or `warn`. */
  readonly ok: boolean;
  /** The failure mode (docs/runbook.md §Failure mode A–E) this failure is. */
  readonly failureMode?: FailureMode;
  /** What was found. */
  readonly detail: string;
  /** The fix, as docs/runbook.md words it (or what to set, for a warning); present when not passing. */
  readonly fix?: string;
  /** HTTP status seen, when the check made a request. */
  readonly httpStatus?: number;
}

/** The result of {@link runDoctor}. */
export interface DoctorReport {
  /** Every check that ran passed (a warning is no failure). */
  readonly ok: boolean;
  /** The proxy diagnosed (`http://127.0.0.1:2019`). */
  readonly proxyUrl: string;
  /** The checks, in order. */
  readonly checks: readonly DoctorCheck[];
  /** The failure mode of the first failing check that has one. */
  readonly failureMode?: FailureMode;
  /** The MCP identity the fixes name (names and paths only; see `vault-proxy doctor --identity-name`). */
  readonly identity: IdentityInUse;
}

/** @internal */
export function pass(id: DoctorCheckId, title: string, detail: string, httpStatus?: number): DoctorCheck {
  return { id, title, status: 'pass', ok: true, detail, ...(httpStatus === undefined ? {} : { httpStatus }) };
}

/** @internal */
export function fail(
  id: DoctorCheckId,
  title: string,
  detail: string,
  fix: string,
  failureMode?: FailureMode,
  httpStatus?: number,
): DoctorCheck {
  return {
    id,
    title,
    status: 'fail',
    ok: false,
    ...(failureMode === undefined ? {} : { failureMode }),
    detail,
    fix,
    ...(httpStatus === undefined ? {} : { httpStatus }),
  };
}

/** @internal */
export function skipped(id: DoctorCheckId, title: string, because: string): DoctorCheck {
  return { id, title, status: 'skipped', ok: false, detail: `Not run: ${because} failed.`, fix: `Fix "${because}" first.` };
}

/** A check that did not run for want of input: a warning, not a failure. @internal */
export function warning(id: DoctorCheckId, title: string, detail: string, fix: string): DoctorCheck {
  return { id, title, status: 'warn', ok: true, detail, fix };
}
