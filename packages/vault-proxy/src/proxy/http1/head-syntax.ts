/**
 * The byte rules the proxy's HTTP/1.1 framing layer shares between requests
 * and responses (RFC 9110 §5.1, §5.5; RFC 9112 §2.2, §5). Strict on
 * purpose: a byte sequence two parsers could read differently is refused,
 * never guessed at. See docs/architecture.md §Framing.
 * @internal
 */

/** `tchar` of RFC 9110 §5.6.2, by char code. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

/** Whether `text` is a non-empty token (a method or a header name). */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** Whether a header value holds a byte no field value may hold: a control character other than HTAB, or DEL (NUL, CR, LF included). */
export function hasInvalidValueByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Whether a request target holds a byte it may not: anything outside visible ASCII (spaces and controls included). */
export function hasInvalidTargetByte(target: string): boolean {
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return true;
  }
  return false;
}

/** Trim optional whitespace (SP / HTAB) around a field value (RFC 9110 §5.5). */
export function trimOws(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value.charCodeAt(start) === 0x20 || value.charCodeAt(start) === 0x09)) start++;
  while (end > start && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** A body's framing on the wire. */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  /** Responses only: the body runs until the connection closes. */
  | { readonly kind: 'close' };

/** Why a head was refused. */
export type HeadProblem = 'invalid' | 'too-large' | 'too-many';

/** Result of parsing a head from the front of a buffer. */
export type HeadParse<T> =
  | { readonly ok: true; readonly head: T; readonly consumed: number }
  | { readonly ok: false; readonly problem: HeadProblem | 'incomplete'; readonly reason?: string };

/** Limits a head must fit in. */
export interface HeadLimits {
  /** Bytes of the whole head (request or status line and header lines). */
  readonly maxHeaderSize: number;
  /** Header lines. */
  readonly maxHeaderCount: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/**
 * Cut the head off the front of `buf` and split it into its first line and
 * raw header pairs, checking line endings and header syntax. Framing is left
 * to the caller (it differs between requests and responses).
 */
export function splitHead(buf: Buffer, limits: HeadLimits): HeadParse<{ firstLine: string; rawHeaders: string[] }> {
  const end = buf.indexOf(CRLFCRLF);
  if (end === -1) {
    // A bare LF anywhere already makes the head invalid; say so now instead of waiting for bytes that never make it valid.
    const lf = buf.indexOf(10);
    if (lf !== -1 && (lf === 0 || buf[lf - 1] !== 13)) return { ok: false, problem: 'invalid', reason: 'bare LF' };
    return { ok: false, problem: buf.length > limits.maxHeaderSize ? 'too-large' : 'incomplete' };
  }
  if (end + 4 > limits.maxHeaderSize) return { ok: false, problem: 'too-large' };
  const text = buf.toString('latin1', 0, end);
  const lines = text.split('\r\n');
  const firstLine = lines[0] as string;
  if (lines.length - 1 > limits.maxHeaderCount) return { ok: false, problem: 'too-many' };
  const rawHeaders: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    // No name, a folded line (leading SP/HTAB) or a space before the colon: all refused (RFC 9112 §5.1, §5.2).
    if (colon <= 0) return { ok: false, problem: 'invalid', reason: 'header line without a name' };
    const name = line.slice(0, colon);
    if (!isToken(name)) return { ok: false, problem: 'invalid', reason: 'invalid header name' };
    const value = trimOws(line.slice(colon + 1));
    if (hasInvalidValueByte(value)) return { ok: false, problem: 'invalid', reason: 'control character in a header value' };
    rawHeaders.push(name, value);
  }
  if (hasInvalidValueByte(firstLine)) return { ok: false, problem: 'invalid', reason: 'control character in the first line' };
  return { ok: true, head: { firstLine, rawHeaders }, consumed: end + 4 };
}

/**
 * The framing declared by a head's `Content-Length` / `Transfer-Encoding`
 * headers, or why it is ambiguous: more than one of either, both at once, a
 * length that is not plain digits, or a coding other than exactly `chunked`.
 */
export function declaredFraming(rawHeaders: readonly string[]): BodyFraming | { readonly invalid: string } | undefined {
  let length: string | undefined;
  let coding: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      if (length !== undefined) return { invalid: 'more than one Content-Length' };
      length = rawHeaders[i + 1] as string;
    } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
      if (coding !== undefined) return { invalid: 'more than one Transfer-Encoding' };
      coding = rawHeaders[i + 1] as string;
    }
  }
  if (coding !== undefined) {
    if (length !== undefined) return { invalid: 'both Content-Length and Transfer-Encoding' };
    if (coding.toLowerCase() !== 'chunked') return { invalid: 'a transfer coding other than chunked' };
    return { kind: 'chunked' };
  }
  if (length === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(length)) return { invalid: 'a Content-Length that is not plain digits' };
  return { kind: 'length', length: Number(length) };
}
