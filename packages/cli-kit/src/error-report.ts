import { VaultProxyError } from '@raxx/vault-proxy';

/** `cfAccessClientId` → `--cf-access-client-id`. */
export function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * How an app names a library option on its command line: the flag the user
 * typed (default: the option in kebab case, `identityName` → `--identity-name`).
 */
export type FlagNamer = (option: string) => string;

/** An error as every CLI prints it, as text or as JSON: the same fields, secret-free. */
export interface ErrorReport {
  readonly code: string;
  /** What failed, naming the flag (or variable) at fault as the user knows it. */
  readonly message: string;
  /** The flag at fault, when a flag was. */
  readonly flag?: string;
  /** The environment variable at fault, when one was. */
  readonly env?: string;
  /** What to do next. */
  readonly hint?: string;
  /** The failure mode it points at (docs/runbook.md §Failure mode A–E). */
  readonly failureMode?: string;
  /** Other secret-free facts the library attached (status, checks, …). */
  readonly details?: Readonly<Record<string, unknown>>;
}

const SHOWN_ELSEWHERE = new Set(['field', 'source', 'problem', 'hint', 'failureMode']);

/**
 * Describe an error for printing. A configuration error names the flag the
 * user typed, taken from the error's `field` and `source` (never by
 * rewriting its message); an error that is not a `VaultProxyError` shows
 * only its name, since a foreign message could carry anything.
 */
export function describeError(error: unknown, flagFor: FlagNamer = flagOf): ErrorReport {
  if (!(error instanceof VaultProxyError)) {
    return { code: 'UNEXPECTED', message: `unexpected error (${error instanceof Error ? error.name : typeof error})` };
  }
  const d = error.details;
  const hint = typeof d.hint === 'string' ? d.hint : undefined;
  const rest = Object.fromEntries(Object.entries(d).filter(([k]) => !SHOWN_ELSEWHERE.has(k)));
  const base = {
    code: error.code,
    ...(hint ? { hint } : {}),
    ...(d.failureMode ? { failureMode: String(d.failureMode) } : {}),
    ...(Object.keys(rest).length > 0 ? { details: rest } : {}),
  };
  if (typeof d.field === 'string' && typeof d.problem === 'string' && (d.source === 'option' || d.source === 'env')) {
    const subject = d.source === 'option' ? flagFor(d.field) : d.field;
    const where = d.source === 'option' ? { flag: subject } : { env: subject };
    return { ...base, ...where, message: `${subject} ${d.problem}.` };
  }
  const message = hint && error.message.endsWith(hint) ? error.message.slice(0, -hint.length).trimEnd() : error.message;
  return { ...base, message };
}
