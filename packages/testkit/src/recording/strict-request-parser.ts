/**
 * A deliberately strict HTTP/1.1 request parser for the recording upstream.
 * It is the referee of the proxy's smuggling tests, so it never guesses:
 * CRLF line ends only, `METHOD SP target SP HTTP/1.1`, token header names,
 * no obs-fold, one `Content-Length` (digits) or one `Transfer-Encoding:
 * chunked`, never both. Bytes it cannot read unambiguously are reported as
 * an anomaly and stop the connection's parsing.
 */

/** One request as the upstream received it. */
export interface ParsedRequest {
  readonly method: string;
  /** The request target exactly as sent. */
  readonly target: string;
  /** `[name, value, …]` in arrival order, names as sent. */
  readonly rawHeaders: readonly string[];
  /** How the body was framed on the wire. */
  readonly framing: 'none' | 'length' | 'chunked';
  readonly body: Buffer;
  /** The request head's bytes (request line and headers, final CRLF CRLF included). */
  readonly head: string;
}

/** Result of one parse step. */
export type ParseStep =
  | { readonly kind: 'request'; readonly request: ParsedRequest; readonly consumed: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'anomaly'; readonly reason: string };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.1$/;
const HEX = /^[0-9a-fA-F]{1,8}$/;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/** Whether a header value holds a control character other than HTAB (RFC 9110 §5.5). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

function anomaly(reason: string): ParseStep {
  return { kind: 'anomaly', reason };
}

/** Headers of a request with exactly one occurrence of `name`, else the count. */
function valuesOf(raw: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) out.push(raw[i + 1] as string);
  return out;
}

/** Decode a chunked body starting at `from`; `undefined` when more bytes are needed. */
function readChunked(buf: Buffer, from: number): { body: Buffer; end: number } | { reason: string } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const eol = buf.indexOf(CRLF, at);
    if (eol === -1) return buf.length - at > 32 ? { reason: 'chunk size line too long or not CRLF-terminated' } : undefined;
    const line = buf.toString('latin1', at, eol);
    if (!HEX.test(line)) return { reason: `invalid chunk size line ${JSON.stringify(line)}` };
    const size = Number.parseInt(line, 16);
    at = eol + 2;
    if (size === 0) {
      // Trailers are not expected from the proxy: the last chunk must be followed by the empty line.
      if (buf.length < at + 2) return undefined;
      if (buf[at] !== 13 || buf[at + 1] !== 10) return { reason: 'trailer section after the last chunk' };
      return { body: Buffer.concat(parts), end: at + 2 };
    }
    if (buf.length < at + size + 2) return undefined;
    parts.push(buf.subarray(at, at + size));
    if (buf[at + size] !== 13 || buf[at + size + 1] !== 10) return { reason: 'chunk data not followed by CRLF' };
    at += size + 2;
  }
}

/**
 * Parse the first request in `buf`. `maxHead` bounds the head size so a
 * proxy that sends garbage is reported rather than buffered forever.
 */
export function parseRequest(buf: Buffer, maxHead = 1 << 20): ParseStep {
  const headEnd = buf.indexOf(HEAD_END);
  if (headEnd === -1) {
    if (buf.length > maxHead) return anomaly('request head larger than the limit');
    const lf = buf.indexOf(10);
    if (lf !== -1 && (lf === 0 || buf[lf - 1] !== 13)) return anomaly('bare LF in request head');
    return { kind: 'incomplete' };
  }
  const head = buf.toString('latin1', 0, headEnd + 4);
  const lines = head.slice(0, -4).split('\r\n');
  for (const line of lines) if (line.includes('\n') || line.includes('\r')) return anomaly('bare CR or LF in request head');
  const first = REQUEST_LINE.exec(lines[0] ?? '');
  if (!first) return anomaly(`invalid request line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const rawHeaders: string[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith(' ') || line.startsWith('\t')) return anomaly('obs-fold header line');
    const colon = line.indexOf(':');
    if (colon <= 0) return anomaly(`header line without name ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return anomaly(`invalid header name ${JSON.stringify(name)}`);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (hasControlCharacter(value)) return anomaly(`control character in header ${name}`);
    rawHeaders.push(name, value);
  }
  const te = valuesOf(rawHeaders, 'transfer-encoding');
  const cl = valuesOf(rawHeaders, 'content-length');
  const bodyStart = headEnd + 4;
  const base = { method: first[1] as string, target: first[2] as string, rawHeaders, head };
  if (te.length > 0) {
    if (cl.length > 0) return anomaly('both Content-Length and Transfer-Encoding');
    if (te.length > 1 || te[0]?.toLowerCase() !== 'chunked')
      return anomaly(`Transfer-Encoding other than one "chunked": ${te.join(' | ')}`);
    const chunked = readChunked(buf, bodyStart);
    if (chunked === undefined) return { kind: 'incomplete' };
    if ('reason' in chunked) return anomaly(chunked.reason);
    return { kind: 'request', request: { ...base, framing: 'chunked', body: chunked.body }, consumed: chunked.end };
  }
  if (cl.length > 1) return anomaly('more than one Content-Length');
  if (cl.length === 1) {
    if (!/^[0-9]{1,15}$/.test(cl[0] as string)) return anomaly(`invalid Content-Length ${JSON.stringify(cl[0])}`);
    const length = Number(cl[0]);
    if (buf.length < bodyStart + length) return { kind: 'incomplete' };
    return {
      kind: 'request',
      request: { ...base, framing: 'length', body: Buffer.from(buf.subarray(bodyStart, bodyStart + length)) },
      consumed: bodyStart + length,
    };
  }
  return { kind: 'request', request: { ...base, framing: 'none', body: Buffer.alloc(0) }, consumed: bodyStart };
}
