import { matchesGlob } from './model/glob.js';

/** One injected fault, matched on method and a glob over the URL path (`*` within a segment, `**` across). */
export interface FaultRule {
  /** HTTP method to match, case-insensitive. Default: any. */
  method?: string;
  /** Glob over the URL path (no query), e.g. `/api/v1/identities/*` or `/api/v3/secrets/raw/**`. */
  path: string;
  /** Answer with this status and Infisical's error body for it (429 → RateLimitExceeded, 5xx → InternalServerError). */
  status?: number;
  /** How many matching requests the rule affects before it disappears. Default: Infinity. */
  times?: number;
  /** Delay before answering (or before passing the request on when the rule has no status/reset). */
  latencyMs?: number;
  /** Destroy the connection instead of answering (real server; in msw a network error). */
  reset?: boolean;
  /** A JSON body to send instead of Infisical's error body. */
  body?: unknown;
}

/** The faults in force; shared by the handlers and the loopback server. */
export interface FaultInjector {
  add(rule: FaultRule): void;
  clear(): void;
  /** The active rules, `times` showing what is left. */
  readonly rules: readonly FaultRule[];
}

/** What the active rules decide for one request. @internal */
export interface FaultDecision {
  latencyMs: number;
  answer?: FaultRule;
}

interface Entry {
  rule: FaultRule;
  remaining: number;
}

const entriesOf = new WeakMap<FaultInjector, Entry[]>();

function validate(rule: FaultRule): void {
  if (typeof rule.path !== 'string' || !rule.path.startsWith('/')) throw new TypeError('FaultRule.path must be a glob starting with "/"');
  if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 100 && rule.status <= 599)) {
    throw new TypeError('FaultRule.status must be an HTTP status code');
  }
  if (rule.times !== undefined && !(rule.times === Number.POSITIVE_INFINITY || (Number.isInteger(rule.times) && rule.times > 0))) {
    throw new TypeError('FaultRule.times must be a positive integer');
  }
  if (rule.latencyMs !== undefined && !(Number.isFinite(rule.latencyMs) && rule.latencyMs >= 0)) {
    throw new TypeError('FaultRule.latencyMs must be a non-negative number');
  }
  if (rule.status === undefined && !rule.reset && rule.latencyMs === undefined) {
    throw new TypeError('FaultRule needs status, reset or latencyMs');
  }
}

/** An empty fault injector. */
export function createFaultInjector(): FaultInjector {
  const entries: Entry[] = [];
  const injector: FaultInjector = {
    add(rule) {
      validate(rule);
      entries.push({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clear() {
      entries.length = 0;
    },
    get rules() {
      return entries.map((e) => ({ ...e.rule, times: e.remaining }));
    },
  };
  entriesOf.set(injector, entries);
  return injector;
}

/**
 * Consume the rules matching a request: every matching latency applies (the longest wins) and the
 * first matching status/reset rule answers. Each rule that took effect loses one of its `times`.
 * @internal
 */
export function decideFault(injector: FaultInjector | undefined, method: string, path: string): FaultDecision {
  const entries = injector ? entriesOf.get(injector) : undefined;
  const decision: FaultDecision = { latencyMs: 0 };
  if (!entries) return decision;
  for (const entry of [...entries]) {
    const { rule } = entry;
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
    if (!matchesGlob(path, rule.path)) continue;
    const answers = rule.status !== undefined || rule.reset === true;
    if (answers && decision.answer) continue;
    if (answers) decision.answer = rule;
    if (rule.latencyMs) decision.latencyMs = Math.max(decision.latencyMs, rule.latencyMs);
    entry.remaining -= 1;
    if (entry.remaining <= 0) entries.splice(entries.indexOf(entry), 1);
  }
  return decision;
}
