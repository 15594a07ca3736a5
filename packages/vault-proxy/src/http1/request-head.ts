import {
  type BodyFraming,
  declaredFraming,
  type HeadLimits,
  type HeadParse,
  hasInvalidTargetByte,
  readConnectionTokens,
  splitHead,
} from './head-syntax.js';
import { KNOWN_METHODS } from './http-tables.js';

/**
 * The request-target forms of RFC 9112 §3.2: origin-form (`/path?query`),
 * absolute-form (`scheme://…`), authority-form (`host:port`, CONNECT only)
 * and asterisk-form (`*`, OPTIONS only). Anything else is not a target.
 */
function isTargetForm(method: string, target: string): boolean {
  if (target.charCodeAt(0) === 47 /* '/' */) return true;
  if (method === 'CONNECT') return /^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\[[0-9A-Fa-f:.]+\]:[0-9]{1,5}$/.test(target);
  if (target === '*') return method === 'OPTIONS';
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]/.test(target);
}

/** A request head as the client sent it, framing decided. */
export interface RequestHead {
  readonly method: string;
  /** The request target exactly as sent. */
  readonly target: string;
  /** `HTTP/1.0` rather than `HTTP/1.1`. */
  readonly http10: boolean;
  /** `[name, value, …]` as sent (names keep their case; values trimmed of OWS). */
  readonly rawHeaders: string[];
  /** The header names lower-cased, in order (`lowerNames[i]` is `rawHeaders[2 * i]`). */
  readonly lowerNames: string[];
  /** How the body is framed: `none`, a `length`, or `chunked`. */
  readonly framing: BodyFraming;
  /** Whether the client wants the connection kept after this exchange (HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `keep-alive`). */
  readonly keepAlive: boolean;
  /** `Expect: 100-continue`: the client waits for an interim answer before sending its body. */
  readonly expectContinue: boolean;
}

/** What the `Connection` and `Expect` headers say, in one pass over the lower-cased names. */
function connectionAndExpect(
  rawHeaders: readonly string[],
  lowerNames: readonly string[],
): { close: boolean; keepAlive: boolean; expect100: boolean } {
  const said = { close: false, keepAlive: false, expect100: false };
  for (let i = 0; i < lowerNames.length; i++) {
    const name = lowerNames[i] as string;
    if (name === 'connection') {
      readConnectionTokens(rawHeaders[2 * i + 1] as string, said);
    } else if (name === 'expect' && (rawHeaders[2 * i + 1] as string).toLowerCase() === '100-continue') said.expect100 = true;
  }
  return said;
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
  const { firstLine, rawHeaders, lowerNames } = split.head;
  const sp1 = firstLine.indexOf(' ');
  const sp2 = firstLine.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 === -1 || firstLine.indexOf(' ', sp2 + 1) !== -1) return { ok: false, problem: 'invalid', reason: 'request line' };
  const method = firstLine.slice(0, sp1);
  const target = firstLine.slice(sp1 + 1, sp2);
  const version = firstLine.slice(sp2 + 1);
  if (!KNOWN_METHODS.has(method) || hasInvalidTargetByte(target) || !isTargetForm(method, target)) {
    return { ok: false, problem: 'invalid', reason: 'request line' };
  }
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') return { ok: false, problem: 'invalid', reason: 'HTTP version' };
  const http10 = version === 'HTTP/1.0';
  const framing = declaredFraming(rawHeaders, lowerNames);
  if (framing !== undefined && 'invalid' in framing) return { ok: false, problem: 'invalid', reason: framing.invalid };
  if (framing?.kind === 'chunked' && http10) return { ok: false, problem: 'invalid', reason: 'chunked on HTTP/1.0' };
  const connection = connectionAndExpect(rawHeaders, lowerNames);
  return {
    ok: true,
    head: {
      method,
      target,
      http10,
      rawHeaders,
      lowerNames,
      framing: framing ?? { kind: 'none' },
      keepAlive: http10 ? connection.keepAlive : !connection.close,
      expectContinue: !http10 && connection.expect100,
    },
    consumed: split.consumed,
  };
}
