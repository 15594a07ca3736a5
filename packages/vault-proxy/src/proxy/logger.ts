import type { LogFormat, LogLevel } from '../settings/settings-table.js';
import { utcTimestamp } from '../utc-timestamp.js';

/** Secret-free fields attached to a log line. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined | object>>;

/**
 * The proxy's logger: level-filtered, `pretty` or `json`, written to the
 * injected sink. Callers test the `*Enabled` flags before building fields,
 * so nothing is computed for a level that is off.
 * @internal
 */
export interface ProxyLogger {
  readonly debugEnabled: boolean;
  readonly infoEnabled: boolean;
  readonly warnEnabled: boolean;
  readonly errorEnabled: boolean;
  readonly format: LogFormat;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Write an already formatted line at info level (the access log builds its own). */
  raw(line: string): void;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function formatPretty(level: LogLevel, message: string, fields: LogFields | undefined): string {
  let line = `${utcTimestamp()} ${level.toUpperCase().padEnd(5)} ${message}`;
  if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${prettyValue(v)}`;
  return line;
}

function formatJson(level: LogLevel, message: string, fields: LogFields | undefined): string {
  return JSON.stringify({ time: utcTimestamp(), level, msg: message, ...fields });
}

/**
 * Create the logger for a level, format and sink.
 * @internal
 */
export function createLogger(level: LogLevel, format: LogFormat, sink: (line: string) => void): ProxyLogger {
  const at = RANK[level];
  const render = format === 'json' ? formatJson : formatPretty;
  const write = (l: LogLevel, message: string, fields?: LogFields): void => {
    if (RANK[l] >= at) sink(render(l, message, fields));
  };
  return {
    debugEnabled: RANK.debug >= at,
    infoEnabled: RANK.info >= at,
    warnEnabled: RANK.warn >= at,
    errorEnabled: RANK.error >= at,
    format,
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    raw: (line) => {
      if (RANK.info >= at) sink(line);
    },
  };
}

/** Lines waiting for the next write to standard error, shared by every proxy of the process. */
let pendingLines = '';
let flushScheduled = false;
let exitHooked = false;

function flushLines(): void {
  flushScheduled = false;
  if (pendingLines === '') return;
  const out = pendingLines;
  pendingLines = '';
  process.stderr.write(out);
}

/**
 * The default log sink: standard error, the lines of one turn of the event
 * loop written together. Standard error to a file is a synchronous write per
 * call; one per request would cost the proxy a system call per request. What
 * is pending is written at exit too.
 * @internal
 */
export function stderrSink(line: string): void {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', flushLines);
  }
  pendingLines += `${line}\n`;
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushLines);
}
