import {
  type BodyFraming,
  declaredFraming,
  type HeadLimits,
  type HeadParse,
  hasInvalidTargetByte,
  isToken,
  splitHead,
} from './head-syntax.js';

/** A request head as the client sent it, framing decided. */
export interface RequestHead {
  readonly method: string;
  /** The request target exactly as sent. */
  readonly target: string;
  /** `HTTP/1.0` rather than `HTTP/1.1`. */
  readonly http10: boolean;
  /** `[name, value, …]` as sent (names keep their case; values trimmed of OWS). */
  readonly rawHeaders: string[];
  /** How the body is framed: `none`, a `length`, or `chunked`. */
  readonly framing: BodyFraming;
  /** Whether the client wants the connection kept after this exchange (HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `keep-alive`). */
  readonly keepAlive: boolean;
  /** `Expect: 100-continue`: the client waits for an interim answer before sending its body. */
  readonly expectContinue: boolean;
}

/** A `Connection` value's tokens include `token` (case-insensitive). */
function connectionHas(rawHeaders: readonly string[], token: string): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    for (const t of (rawHeaders[i + 1] as string).split(',')) if (t.trim().toLowerCase() === token) return true;
  }
  return false;
}

function expectsContinue(rawHeaders: readonly string[]): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === 6 && name.toLowerCase() === 'expect' && (rawHeaders[i + 1] as string).toLowerCase() === '100-continue') return true;
  }
  return false;
}

/**
 * Parse the request head at the front of `buf` (RFC 9112 §3): `METHOD SP
 * target SP HTTP/1.1` (or `HTTP/1.0`), header lines, an empty line. The body
 * is framed by one `Content-Length` (plain digits) or one
 * `Transfer-Encoding: chunked` (not on HTTP/1.0), never both; anything else
 * is `invalid`, decided before a byte goes anywhere.
 */
export function parseRequestHead(buf: Buffer, limits: HeadLimits): HeadParse<RequestHead> {
  const split = splitHead(buf, limits);
  if (!split.ok) return split;
  const { firstLine, rawHeaders } = split.head;
  const sp1 = firstLine.indexOf(' ');
  const sp2 = firstLine.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 === -1 || firstLine.indexOf(' ', sp2 + 1) !== -1) return { ok: false, problem: 'invalid', reason: 'request line' };
  const method = firstLine.slice(0, sp1);
  const target = firstLine.slice(sp1 + 1, sp2);
  const version = firstLine.slice(sp2 + 1);
  if (!isToken(method) || target === '' || hasInvalidTargetByte(target)) return { ok: false, problem: 'invalid', reason: 'request line' };
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') return { ok: false, problem: 'invalid', reason: 'HTTP version' };
  const http10 = version === 'HTTP/1.0';
  const framing = declaredFraming(rawHeaders);
  if (framing !== undefined && 'invalid' in framing) return { ok: false, problem: 'invalid', reason: framing.invalid };
  if (framing?.kind === 'chunked' && http10) return { ok: false, problem: 'invalid', reason: 'chunked on HTTP/1.0' };
  const keepAlive = http10 ? connectionHas(rawHeaders, 'keep-alive') : !connectionHas(rawHeaders, 'close');
  return {
    ok: true,
    head: {
      method,
      target,
      http10,
      rawHeaders,
      framing: framing ?? { kind: 'none' },
      keepAlive,
      expectContinue: !http10 && expectsContinue(rawHeaders),
    },
    consumed: split.consumed,
  };
}
