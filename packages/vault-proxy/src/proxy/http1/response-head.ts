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

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-5][0-9][0-9])(?: (.*))?$/;

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
      const match = /(?:^|[,\s])timeout=(\d{1,6})(?:$|[,\s])/.exec(rawHeaders[2 * i + 1] as string);
      if (match) keepAliveMs = Number(match[1]) * 1000;
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
  const line = STATUS_LINE.exec(firstLine);
  if (!line) return { ok: false, problem: 'invalid', reason: 'status line' };
  const http10 = line[1] === '0';
  const status = Number(line[2]);
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
      reason: line[3] ?? '',
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
