import { type BodyFraming, declaredFraming, type HeadLimits, type HeadParse, splitHead } from './head-syntax.js';

/** A response head from the vault, framing decided for the request it answers. */
export interface ResponseHead {
  readonly status: number;
  /** The reason phrase (may be empty). */
  readonly reason: string;
  readonly http10: boolean;
  /** `[name, value, …]` as sent. */
  readonly rawHeaders: string[];
  /** `none` (1xx, 204, 304, an answer to HEAD), a `length`, `chunked`, or `close` (read until the connection ends). */
  readonly framing: BodyFraming;
  /** Whether the connection may carry another request after this response. */
  readonly reusable: boolean;
  /** Milliseconds the server keeps an idle connection, from its `Keep-Alive: timeout=` hint, when given. */
  readonly keepAliveMs: number | undefined;
}

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-5][0-9][0-9])(?: (.*))?$/;

function headerValues(rawHeaders: readonly string[], lower: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === lower.length && name.toLowerCase() === lower) out.push(rawHeaders[i + 1] as string);
  }
  return out;
}

function connectionTokens(rawHeaders: readonly string[]): Set<string> {
  const tokens = new Set<string>();
  for (const value of headerValues(rawHeaders, 'connection')) for (const t of value.split(',')) tokens.add(t.trim().toLowerCase());
  return tokens;
}

function keepAliveHint(rawHeaders: readonly string[]): number | undefined {
  for (const value of headerValues(rawHeaders, 'keep-alive')) {
    const match = /(?:^|[,\s])timeout=(\d{1,6})(?:$|[,\s])/.exec(value);
    if (match) return Number(match[1]) * 1000;
  }
  return undefined;
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
  const { firstLine, rawHeaders } = split.head;
  const line = STATUS_LINE.exec(firstLine);
  if (!line) return { ok: false, problem: 'invalid', reason: 'status line' };
  const http10 = line[1] === '0';
  const status = Number(line[2]);
  const declared = declaredFraming(rawHeaders);
  if (declared !== undefined && 'invalid' in declared) return { ok: false, problem: 'invalid', reason: declared.invalid };
  if (declared?.kind === 'chunked' && http10) return { ok: false, problem: 'invalid', reason: 'chunked on HTTP/1.0' };
  let framing: BodyFraming;
  if (status < 200 || status === 204 || status === 304 || requestMethod === 'HEAD') framing = { kind: 'none' };
  else framing = declared ?? { kind: 'close' };
  const tokens = connectionTokens(rawHeaders);
  const persistent = http10 ? tokens.has('keep-alive') : !tokens.has('close');
  return {
    ok: true,
    head: {
      status,
      reason: line[3] ?? '',
      http10,
      rawHeaders,
      framing,
      reusable: persistent && framing.kind !== 'close',
      keepAliveMs: keepAliveHint(rawHeaders),
    },
    consumed: split.consumed,
  };
}
