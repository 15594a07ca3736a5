/**
 * The byte rules the proxy's HTTP/1.1 framing layer shares between requests
 * and responses (RFC 9110 §5.1, §5.5; RFC 9112 §2.2, §5). Strict on
 * purpose: a byte sequence two parsers could read differently is refused,
 * never guessed at. See docs/architecture.md §Framing.
 * @internal
 */

/** A control character other than HTAB, or DEL: never in a field value (a CR or LF there is a bare one). The rule of {@link LINE_BYTE}, for strings. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding these bytes is the point: no header value may hold them.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** `tchar` of RFC 9110 §5.6.2, by char code. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

/** Whether a header value holds a byte no field value may hold: a control character other than HTAB, or DEL (NUL, CR, LF included). */
export function hasInvalidValueByte(value: string): boolean {
  return CONTROL.test(value);
}

/** Whether a request target holds a byte it may not: anything outside visible ASCII (spaces and controls included). */
export function hasInvalidTargetByte(target: string): boolean {
  return NOT_VISIBLE.test(target);
}

/** Anything but visible ASCII (a negated class, so no control character is written out). */
const NOT_VISIBLE = /[^\x21-\x7e]/;

/** The persistence tokens of one `Connection` header value (RFC 9112 §9.3), added to `into`. */
export function readConnectionTokens(value: string, into: { close: boolean; keepAlive: boolean }): void {
  // The usual value is one token: read it without splitting.
  if (!value.includes(',')) {
    const token = value.trim().toLowerCase();
    if (token === 'close') into.close = true;
    else if (token === 'keep-alive') into.keepAlive = true;
    return;
  }
  for (const t of value.split(',')) {
    const token = t.trim().toLowerCase();
    if (token === 'close') into.close = true;
    else if (token === 'keep-alive') into.keepAlive = true;
  }
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

/** A head split into its first line and header lines, names also lower-cased (once, for every later lookup). */
export interface SplitHead {
  readonly firstLine: string;
  /** `[name, value, …]` as sent, values trimmed of OWS. */
  readonly rawHeaders: string[];
  /** The names of `rawHeaders`, lower-cased, in the same order. */
  readonly lowerNames: string[];
}

/** Slots of the {@link HeaderNames} table (a power of two). */
const NAME_SLOTS = 512;
/** Names longer than this are not remembered (real header names are short; a hostile one is parsed, not cached). */
const MAX_REMEMBERED_NAME = 48;

/**
 * Header names seen before, by their exact spelling, each with its
 * lower-case form: a name a client or the vault sends on every message
 * (`Host`, `Authorization`, `Content-Type`) costs a hash over bytes the
 * parser reads anyway instead of two new strings, and the lower-case form it
 * hands out is the same string every time (its hash is already known to
 * every later `Set` lookup). Bounded: a slot holds one name, a new name takes
 * the slot over, so random names cannot grow it.
 */
class HeaderNames {
  readonly #raw: (string | undefined)[] = new Array(NAME_SLOTS).fill(undefined);
  readonly #lower: string[] = new Array(NAME_SLOTS).fill('');
  /** The lower-case form of the name last returned by {@link name}. */
  #lastLower = '';

  /** The name `bytes[from, to)` (already checked to be a token), `hash` computed over its bytes. */
  name(bytes: Buffer, from: number, to: number, hash: number): string {
    const length = to - from;
    const slot = hash & (NAME_SLOTS - 1);
    const known = this.#raw[slot];
    if (known !== undefined && known.length === length && sameBytes(bytes, from, known)) {
      this.#lastLower = this.#lower[slot] as string;
      return known;
    }
    // A string of its own, read from the bytes: a slice of the head's text would keep that whole head alive
    // for as long as the table remembers the name (up to 512 heads of 16 KiB).
    const name = bytes.toString('latin1', from, to);
    const lower = name.toLowerCase();
    if (length <= MAX_REMEMBERED_NAME) {
      this.#raw[slot] = name;
      this.#lower[slot] = lower;
    }
    this.#lastLower = lower;
    return name;
  }

  /** The lower-case form of the name last returned. */
  get lower(): string {
    return this.#lastLower;
  }
}

/** Whether `bytes` from `from` spell `known` (compared as bytes: reading a Buffer is cheaper than a string's char codes). */
function sameBytes(bytes: Buffer, from: number, known: string): boolean {
  for (let k = 0; k < known.length; k++) if (bytes[from + k] !== known.charCodeAt(k)) return false;
  return true;
}

/** The process's one table of header names (the proxy is single-threaded). */
const NAMES = new HeaderNames();

/** Where each header value starts and stops in the head being split (reused: the proxy is single-threaded). */
let valueBounds = new Int32Array(2 * 128);

/** Why a head was refused, as a {@link HeadParse} failure. */
function refused(reason: string): HeadParse<never> {
  return { ok: false, problem: 'invalid', reason };
}

/** A head not complete within the bytes scanned: wait for more, unless the size limit is what stopped the scan. */
function cutShort(buf: Buffer, limits: HeadLimits): HeadParse<never> {
  return { ok: false, problem: buf.length >= limits.maxHeaderSize ? 'too-large' : 'incomplete' };
}

/** How {@link lineEnd} reads each byte: 0 may stand in a line, 1 is CR (the line ends), 2 is refused (a control byte other than HTAB, or DEL; a bare LF included). */
const LINE_BYTE = new Uint8Array(256);
for (let c = 0; c < 32; c++) LINE_BYTE[c] = c === 9 ? 0 : 2;
LINE_BYTE[13] = 1;
LINE_BYTE[127] = 2;

/** Where the line running from `from` ends: the index of its CR; `limit` when none is there yet; -1 at a control byte other than HTAB (a bare LF included). */
function lineEnd(buf: Buffer, from: number, limit: number): number {
  let k = from;
  // Four bytes a step while none of them needs a look, as in almost every byte of a line: one test per
  // four bytes instead of three per byte (the line scan is most of the head parser's time, BENCHMARKS.md step 12).
  for (const last = limit - 4; k <= last; k += 4) {
    if (
      ((LINE_BYTE[buf[k] as number] as number) |
        (LINE_BYTE[buf[k + 1] as number] as number) |
        (LINE_BYTE[buf[k + 2] as number] as number) |
        (LINE_BYTE[buf[k + 3] as number] as number)) !==
      0
    )
      break;
  }
  // The step that held a byte to look at, and the tail: byte by byte.
  for (; k < limit; k++) {
    const t = LINE_BYTE[buf[k] as number] as number;
    if (t !== 0) return t === 1 ? k : -1;
  }
  return limit;
}

/**
 * Cut the head off the front of `buf` and split it into its first line and
 * raw header pairs, checking line endings and header syntax in one pass
 * over the bytes: each line is read up to its CR, every byte checked on the
 * way, and the empty line that ends the head is found by the same pass, so
 * nothing is searched for twice; a head that is not complete yet is checked
 * as far as it goes (a bare LF or a control byte is refused before the rest
 * arrives). Never reads past `maxHeaderSize` bytes. This runs twice per
 * proxied request, so it also allocates as little as it can: the head text
 * once, each value once (a slice of it), names not at all when they were
 * seen before. Framing is left to the caller (it differs between requests
 * and responses).
 */
export function splitHead(buf: Buffer, limits: HeadLimits): HeadParse<SplitHead> {
  const limit = Math.min(buf.length, limits.maxHeaderSize);
  // Every line ends at its first CR, which must be followed by LF.
  const firstEnd = lineEnd(buf, 0, limit);
  if (firstEnd === -1) return refused('control character in the first line');
  if (firstEnd + 1 >= limit) return cutShort(buf, limits);
  if (buf[firstEnd + 1] !== 10) return refused('bare CR');
  const rawHeaders: string[] = [];
  const lowerNames: string[] = [];
  let count = 0;
  let at = firstEnd + 2;
  for (;;) {
    if (at + 1 >= limit) return cutShort(buf, limits);
    // The empty line: the head ends here.
    if (buf[at] === 13) {
      if (buf[at + 1] !== 10) return refused('bare CR');
      break;
    }
    if (count >= limits.maxHeaderCount) return { ok: false, problem: 'too-many' };
    // The name: one or more tchar, then ':' (no space before it; a leading space or tab is obs-fold).
    let i = at;
    let hash = 0;
    for (; i < limit; i++) {
      const c = buf[i] as number;
      if (c === 58 /* ':' */) break;
      if (c > 127 || TCHAR[c] === 0) return refused(c === 13 ? 'header line without a name' : 'invalid header name');
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    if (i === limit) return cutShort(buf, limits);
    if (i === at) return refused('header line without a name');
    // The value: OWS, then no control byte but HTAB up to the CR, OWS.
    let start = i + 1;
    while (start < limit && (buf[start] === 32 || buf[start] === 9)) start++;
    const eol = lineEnd(buf, start, limit);
    if (eol === -1) return refused('control character in a header value');
    if (eol + 1 >= limit) return cutShort(buf, limits);
    if (buf[eol + 1] !== 10) return refused('bare CR');
    // Parsers disagree on a tab after a value (llhttp refuses it after a Content-Length): refuse it everywhere.
    if (eol > i + 1 && buf[eol - 1] === 9) return refused('a tab at the end of a header value');
    let stop = eol;
    while (stop > start && buf[stop - 1] === 32) stop--;
    rawHeaders.push(NAMES.name(buf, at, i, hash ^ (hash >>> 9)), '');
    lowerNames.push(NAMES.lower);
    if (2 * count + 2 > valueBounds.length) {
      const grown = new Int32Array(2 * valueBounds.length);
      grown.set(valueBounds);
      valueBounds = grown;
    }
    valueBounds[2 * count] = start;
    valueBounds[2 * count + 1] = stop;
    count++;
    at = eol + 2;
  }
  // Complete: one string for the whole head, the first line and every value sliced from it.
  const text = buf.toString('latin1', 0, at);
  for (let h = 0; h < count; h++) rawHeaders[2 * h + 1] = text.slice(valueBounds[2 * h] as number, valueBounds[2 * h + 1] as number);
  return { ok: true, head: { firstLine: text.slice(0, firstEnd), rawHeaders, lowerNames }, consumed: at + 2 };
}

/**
 * The framing declared by a head's `Content-Length` / `Transfer-Encoding`
 * headers, or why it is ambiguous: more than one of either, both at once, a
 * length that is not plain digits, or a coding other than exactly `chunked`.
 */
export function declaredFraming(
  rawHeaders: readonly string[],
  lowerNames: readonly string[],
): BodyFraming | { readonly invalid: string } | undefined {
  let length: string | undefined;
  let coding: string | undefined;
  for (let i = 0; i < lowerNames.length; i++) {
    const name = lowerNames[i] as string;
    if (name === 'content-length') {
      if (length !== undefined) return { invalid: 'more than one Content-Length' };
      length = rawHeaders[2 * i + 1] as string;
    } else if (name === 'transfer-encoding') {
      if (coding !== undefined) return { invalid: 'more than one Transfer-Encoding' };
      coding = rawHeaders[2 * i + 1] as string;
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
