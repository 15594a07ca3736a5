import { type BodyFraming, declaredFraming, type HeadLimits, type HeadParse, readConnectionTokens, splitHead } from './head-syntax.js';

/** A response head from the vault, framing decided for the request it answers. */
export interface ResponseHead {
  readonly status: number;
  /** The reason phrase (may be empty). */
  readonly reason: string;
  readonly http10: boolean;
  /** `[name, value, …]` as sent. */
  readonly rawHeaders: string[];
  /** The header names lower-cased, in order. */
  readonly lowerNames: string[];
  /** `none` (1xx, 204, 304, an answer to HEAD), a `length`, `chunked`, or `close` (read until the connection ends). */
  readonly framing: BodyFraming;
  /** Whether the connection may carry another request after this response. */
  readonly reusable: boolean;
  /** Milliseconds the server keeps an idle connection, from its `Keep-Alive: timeout=` hint, when given. */
  readonly keepAliveMs: number | undefined;
}

/**
 * `HTTP/1.x SSS reason` (the reason optional, with or without its space):
 * the version, the status and the reason, or `undefined`. Read by char
 * code rather than a regular expression: it runs on every response.
 */
function statusLine(line: string): { http10: boolean; status: number; reason: string } | undefined {
  if (line.length < 12 || !line.startsWith('HTTP/1.') || line.charCodeAt(8) !== 32) return undefined;
  const minor = line.charCodeAt(7);
  if (minor !== 48 && minor !== 49) return undefined;
  const d1 = line.charCodeAt(9) - 48;
  const d2 = line.charCodeAt(10) - 48;
  const d3 = line.charCodeAt(11) - 48;
  if (d1 < 1 || d1 > 5 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) return undefined;
  if (line.length > 12 && line.charCodeAt(12) !== 32) return undefined;
  return { http10: minor === 48, status: d1 * 100 + d2 * 10 + d3, reason: line.length > 13 ? line.slice(13) : '' };
}

let lastKeepAlive = '';
let lastKeepAliveMs: number | undefined;

/** The `timeout=` of a `Keep-Alive` value, in ms (a server sends the same value every time: the last one read is kept). */
function keepAliveTimeoutMs(value: string): number | undefined {
  if (value !== lastKeepAlive) {
    const match = /(?:^|[,\s])timeout=(\d{1,6})(?:$|[,\s])/.exec(value);
    lastKeepAlive = value;
    lastKeepAliveMs = match ? Number(match[1]) * 1000 : undefined;
  }
  return lastKeepAliveMs;
}

/** Whether the connection persists (`Connection` tokens) and the `Keep-Alive: timeout=` hint, in one pass. */
function connectionOf(
  rawHeaders: readonly string[],
  lowerNames: readonly string[],
  http10: boolean,
): { persistent: boolean; keepAliveMs: number | undefined } {
  const said = { close: false, keepAlive: false };
  let keepAliveMs: number | undefined;
  for (let i = 0; i < lowerNames.length; i++) {
    const name = lowerNames[i] as string;
    if (name === 'connection') {
      readConnectionTokens(rawHeaders[2 * i + 1] as string, said);
    } else if (name === 'keep-alive' && keepAliveMs === undefined) {
      keepAliveMs = keepAliveTimeoutMs(rawHeaders[2 * i + 1] as string);
    }
  }
  return { persistent: http10 ? said.keepAlive && !said.close : !said.close, keepAliveMs };
}

/**
 * Parse the response head at the front of `buf` (RFC 9112 §4, §6.3).
 * `requestMethod` decides whether a body can follow (never after HEAD).
 * Duplicate or conflicting framing is `invalid`: the proxy answers 502
 * rather than guess where this response ends and the next begins.
 */
export function parseResponseHead(buf: Buffer, limits: HeadLimits, requestMethod: string): HeadParse<ResponseHead> {
  const split = splitHead(buf, limits);
  if (!split.ok) return split;
  const { firstLine, rawHeaders, lowerNames } = split.head;
  const line = statusLine(firstLine);
  if (!line) return { ok: false, problem: 'invalid', reason: 'status line' };
  const { http10, status } = line;
  const declared = declaredFraming(rawHeaders, lowerNames);
  if (declared !== undefined && 'invalid' in declared) return { ok: false, problem: 'invalid', reason: declared.invalid };
  if (declared?.kind === 'chunked' && http10) return { ok: false, problem: 'invalid', reason: 'chunked on HTTP/1.0' };
  let framing: BodyFraming;
  if (status < 200 || status === 204 || status === 304 || requestMethod === 'HEAD') framing = { kind: 'none' };
  else framing = declared ?? { kind: 'close' };
  const connection = connectionOf(rawHeaders, lowerNames, http10);
  return {
    ok: true,
    head: {
      status,
      reason: line.reason,
      http10,
      rawHeaders,
      lowerNames,
      framing,
      reusable: connection.persistent && framing.kind !== 'close',
      keepAliveMs: connection.keepAliveMs,
    },
    consumed: split.consumed,
  };
}
