import type { LogFormat } from '../settings/settings-table.js';
import { threeDigits, utcTimestamp } from '../utc-timestamp.js';
import type { ProxyLogger } from './logger.js';

/**
 * One finished request, as the access log records it.
 * @internal
 */
export interface AccessEntry {
  readonly method: string;
  /** The request target as received; query values are stripped when formatting. */
  readonly target: string;
  readonly status: number;
  /** Milliseconds until upstream's response headers; `undefined` when upstream was not asked or did not answer. */
  readonly upstreamMs: number | undefined;
  /** Milliseconds from request to the end of the response. */
  readonly durationMs: number;
  /** Response body bytes sent to the client. */
  readonly bytes: number;
  /** The proxy's own error code when it answered instead of upstream. */
  readonly code: string | undefined;
  /** Whether the client went away before the response was complete. */
  readonly aborted: boolean;
  /** Whether the proxy logged in again to renew the request's access token. */
  readonly renewed?: boolean;
}

/**
 * A request target without query values, parameter names kept:
 * `/api/v3/secrets/raw/KEY?workspaceId=1&environment=prod` →
 * `/api/v3/secrets/raw/KEY?workspaceId=&environment=`. Values can carry
 * tokens or secret material; names say enough to debug.
 * @internal
 */
export function pathWithoutQueryValues(target: string): string {
  const q = target.indexOf('?');
  if (q === -1) return target;
  // An agent asks the same path again and again: the last answer is kept (a string compare instead of a new string).
  if (target === lastTarget) return lastPath;
  let out = target.slice(0, q + 1);
  let first = true;
  // One pass over the query (on every request's log line): keep each name, drop each value.
  for (let start = q + 1; start <= target.length; ) {
    let end = target.indexOf('&', start);
    if (end === -1) end = target.length;
    if (end > start) {
      const eq = target.indexOf('=', start);
      out += `${first ? '' : '&'}${target.slice(start, eq === -1 || eq > end ? end : eq)}=`;
      first = false;
    }
    start = end + 1;
  }
  lastTarget = target;
  lastPath = out;
  return out;
}

let lastTarget = '';
let lastPath = '';

let stampMs = 0;
let stampText = '';

/** The ISO text of the current second without its milliseconds (`2026-11-30T01:02:03.`), and that second. */
let secondText = '';
let secondMs = -1;

/**
 * The ISO-8601 time of now (`utcTimestamp`), computed at most once per millisecond (every log
 * line asks), and within one second only the milliseconds are written anew.
 */
function isoNow(): string {
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    const second = now - (now % 1000);
    if (second !== secondMs) {
      secondMs = second;
      secondText = utcTimestamp(second).slice(0, 20);
    }
    stampText = `${secondText}${threeDigits(now - second)}Z`;
  }
  return stampText;
}

/**
 * A duration of a log line in tenths of a millisecond, rounded as the JSON
 * format rounds it (`Math.round(ms * 10) / 10`), always with its one decimal.
 * Integer arithmetic, not `toFixed`: a slow call, made twice per request.
 */
function ms(value: number): string {
  if (!(value >= 0 && value < 1e9)) return value.toFixed(1);
  const tenths = Math.round(value * 10);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/**
 * The access-log line for an entry, in the configured format (no trailing newline).
 * @internal
 */
export function formatAccessLine(entry: AccessEntry, format: LogFormat): string {
  const path = pathWithoutQueryValues(entry.target);
  const time = isoNow();
  if (format === 'json') {
    return JSON.stringify({
      time,
      level: 'info',
      msg: 'request',
      method: entry.method,
      path,
      status: entry.status,
      upstreamMs: entry.upstreamMs === undefined ? null : Math.round(entry.upstreamMs * 10) / 10,
      durationMs: Math.round(entry.durationMs * 10) / 10,
      bytes: entry.bytes,
      ...(entry.code === undefined ? {} : { code: entry.code }),
      ...(entry.aborted ? { aborted: true } : {}),
      ...(entry.renewed ? { tokenRenewed: true } : {}),
    });
  }
  const upstream = entry.upstreamMs === undefined ? '-' : `${ms(entry.upstreamMs)}ms`;
  let line = `${time} INFO  ${entry.method} ${path} ${entry.status} upstream=${upstream} total=${ms(entry.durationMs)}ms bytes=${entry.bytes}`;
  if (entry.code !== undefined) line += ` code=${entry.code}`;
  if (entry.aborted) line += ' aborted';
  if (entry.renewed) line += ' token-renewed';
  return line;
}

/**
 * The access log: one line per request, whoever answered it. Both kinds go
 * through here, so every line has the same shape.
 * @internal
 */
export interface AccessLog {
  /** Whether lines are written at all (info level or below). */
  readonly enabled: boolean;
  /** A request the proxy answered itself (a refusal, a parser error, a local endpoint). */
  answered(method: string, target: string, answer: { readonly status: number; readonly code: string; readonly body: Buffer }): void;
  /** A forwarded exchange, once it is over. */
  exchanged(entry: AccessEntry): void;
}

/** @internal */
export function createAccessLog(log: ProxyLogger): AccessLog {
  const enabled = log.infoEnabled;
  return {
    enabled,
    answered(method, target, answer) {
      if (!enabled) return;
      const code = answer.code === '' ? undefined : answer.code;
      log.raw(
        formatAccessLine(
          { method, target, status: answer.status, upstreamMs: undefined, durationMs: 0, bytes: answer.body.length, code, aborted: false },
          log.format,
        ),
      );
    },
    exchanged(entry) {
      if (enabled) log.raw(formatAccessLine(entry, log.format));
    },
  };
}
