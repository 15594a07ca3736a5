import { describe, expect, it } from 'vitest';
import { parseRequestHead } from '../../src/http1/request-head.js';

const LIMITS = { maxHeaderSize: 16_384, maxHeaderCount: 100 };
const parse = (text: string) => parseRequestHead(Buffer.from(text, 'latin1'), LIMITS);

describe('parseRequestHead: what it accepts', () => {
  it('reads the request line, every header in order with its case, and where the head ends', () => {
    const r = parse('GET /api/status?x=1 HTTP/1.1\r\nHost: a\r\nX-One:1\r\nx-one:  2 \r\n\r\nNEXT');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.head).toMatchObject({ method: 'GET', target: '/api/status?x=1', http10: false, keepAlive: true, expectContinue: false });
    expect(r.head.rawHeaders).toEqual(['Host', 'a', 'X-One', '1', 'x-one', '2']);
    expect(r.head.framing).toEqual({ kind: 'none' });
    expect(r.consumed).toBe(
      r.head.rawHeaders.length > 0 ? 'GET /api/status?x=1 HTTP/1.1\r\nHost: a\r\nX-One:1\r\nx-one:  2 \r\n\r\n'.length : 0,
    );
  });

  it('keeps what a value may hold: an inner tab, obs-text, nothing at all; OWS around it goes', () => {
    const r = parse('GET / HTTP/1.1\r\nHost: a\r\nX-Tab: a\tb\r\nX-Obs: caf\xe9\r\nX-Empty:\r\nX-Ows:\t \tv  \r\n\r\n');
    expect(r.ok && r.head.rawHeaders).toEqual(['Host', 'a', 'X-Tab', 'a\tb', 'X-Obs', 'caf\xe9', 'X-Empty', '', 'X-Ows', 'v']);
  });

  it.each([
    ['Content-Length: 5', { kind: 'length', length: 5 }],
    ['Content-Length: 0', { kind: 'length', length: 0 }],
    ['Transfer-Encoding: chunked', { kind: 'chunked' }],
    ['Transfer-Encoding: CHUNKED', { kind: 'chunked' }],
  ])('frames the body by %s', (header, framing) => {
    const r = parse(`POST / HTTP/1.1\r\nHost: a\r\n${header}\r\n\r\n`);
    expect(r.ok && r.head.framing).toEqual(framing);
  });

  it('knows keep-alive and 100-continue for both versions', () => {
    const close = parse('GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n');
    expect(close.ok && close.head.keepAlive).toBe(false);
    const old = parse('GET / HTTP/1.0\r\n\r\n');
    expect(old.ok && old.head.http10 && !old.head.keepAlive).toBe(true);
    const oldKeep = parse('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n');
    expect(oldKeep.ok && oldKeep.head.keepAlive).toBe(true);
    const expect100 = parse('PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n');
    expect(expect100.ok && expect100.head.expectContinue).toBe(true);
  });

  it('says incomplete until the empty line arrives, at every split point', () => {
    const text = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
    for (let i = 0; i < text.length; i++) expect(parse(text.slice(0, i))).toMatchObject({ ok: false, problem: 'incomplete' });
    expect(parse(text).ok).toBe(true);
  });
});

describe('parseRequestHead: what it refuses (nothing ambiguous goes through)', () => {
  it.each([
    ['bare LF line ends', 'GET / HTTP/1.1\nHost: a\n\n'],
    ['a bare LF before any CRLF CRLF', 'GET / HTTP/1.1\r\nHost: a\nX: y\r\n'],
    ['a bare CR inside a line', 'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n'],
    // Each line is read up to its first CR: every place a CR or LF can sit alone.
    ['a bare CR in the request line', 'GET /\r HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a bare CR ending the request line', 'GET / HTTP/1.1\rHost: a\r\n\r\n'],
    ['a bare CR in a header name', 'GET / HTTP/1.1\r\nHo\rst: a\r\n\r\n'],
    ['CR CR LF after a value', 'GET / HTTP/1.1\r\nHost: a\r\r\n\r\n'],
    ['CR CR LF after the request line', 'GET / HTTP/1.1\r\r\nHost: a\r\n\r\n'],
    ['a value line ended by a bare LF', 'GET / HTTP/1.1\r\nX: a\nHost: a\r\n\r\n'],
    ['a bare LF in the request line', 'GET /\n HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost\r\n\r\n'],
    ['a value that is only a tab', 'GET / HTTP/1.1\r\nX:\t\r\nHost: a\r\n\r\n'],
    ['a non-ASCII byte in a header name', 'GET / HTTP/1.1\r\nX\xe9: a\r\n\r\n'],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n'],
    ['an empty header name', 'GET / HTTP/1.1\r\n: a\r\n\r\n'],
    ['a non-token header name', 'GET / HTTP/1.1\r\nX(y): a\r\n\r\n'],
    ['NUL in a value', 'GET / HTTP/1.1\r\nX: a\0b\r\n\r\n'],
    ['DEL in a value', 'GET / HTTP/1.1\r\nX: a\x7fb\r\n\r\n'],
    ['HTTP/0.9', 'GET /\r\n\r\n'],
    ['HTTP/2.0', 'GET / HTTP/2.0\r\n\r\n'],
    ['lower-case version', 'GET / http/1.1\r\n\r\n'],
    ['two spaces in the request line', 'GET  / HTTP/1.1\r\n\r\n'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\n\r\n'],
    ['a control byte in the target', 'GET /a\x01 HTTP/1.1\r\n\r\n'],
    ['a non-ASCII byte in the target', 'GET /\xe9 HTTP/1.1\r\n\r\n'],
    ['a non-token method', 'G(T / HTTP/1.1\r\n\r\n'],
    ['two Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n'],
    ['a Content-Length list', 'POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n'],
    ['a signed Content-Length', 'POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n'],
    ['a hex Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n'],
    ['an empty Content-Length', 'POST / HTTP/1.1\r\nContent-Length: \r\n\r\n'],
    ['a huge Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 99999999999999999\r\n\r\n'],
    ['both framings', 'POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['two Transfer-Encoding', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['a coding before chunked', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'],
    ['a coding after chunked', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n'],
    ['identity', 'POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n'],
    ['chunked on HTTP/1.0', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n'],
  ])('refuses %s', (_what, text) => {
    expect(parse(text)).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('refuses a head over the size limit, and one with more lines than the count limit', () => {
    expect(
      parseRequestHead(Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(2000)}\r\n\r\n`), { maxHeaderSize: 1024, maxHeaderCount: 10 }),
    ).toMatchObject({
      problem: 'too-large',
    });
    expect(
      parseRequestHead(Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(2000)}`), { maxHeaderSize: 1024, maxHeaderCount: 10 }),
    ).toMatchObject({
      problem: 'too-large',
    });
    const lines = Array.from({ length: 11 }, (_, i) => `x${i}: 1\r\n`).join('');
    expect(parseRequestHead(Buffer.from(`GET / HTTP/1.1\r\n${lines}\r\n`), { maxHeaderSize: 16_384, maxHeaderCount: 10 })).toMatchObject({
      problem: 'too-many',
    });
  });
});

describe('parseRequestHead: the size limit is exact, and many headers keep their values', () => {
  it('accepts a head of exactly maxHeaderSize bytes, refuses one byte more, and never waits past the limit', () => {
    const head = (size: number) => {
      const bare = 'GET / HTTP/1.1\r\nX: \r\n\r\n';
      return `GET / HTTP/1.1\r\nX: ${'a'.repeat(size - bare.length)}\r\n\r\n`;
    };
    const limits = { maxHeaderSize: 1024, maxHeaderCount: 10 };
    const exact = parseRequestHead(Buffer.from(`${head(1024)}NEXT`), limits);
    expect(exact).toMatchObject({ ok: true, consumed: 1024 });
    expect(parseRequestHead(Buffer.from(head(1025)), limits)).toMatchObject({ ok: false, problem: 'too-large' });
    // Incomplete, but already at the limit: it can never fit, so it is refused now rather than read further.
    expect(parseRequestHead(Buffer.from(head(1030).slice(0, 1024)), limits)).toMatchObject({ ok: false, problem: 'too-large' });
    expect(parseRequestHead(Buffer.from(head(1030).slice(0, 1023)), limits)).toMatchObject({ ok: false, problem: 'incomplete' });
  });

  it('keeps every value of a head with hundreds of headers (more than the parser first makes room for)', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `x-${i}: value-${i}\r\n`).join('');
    const r = parseRequestHead(Buffer.from(`GET / HTTP/1.1\r\n${lines}\r\n`), { maxHeaderSize: 65_536, maxHeaderCount: 500 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.head.rawHeaders).toEqual(Array.from({ length: 300 }, (_, i) => [`x-${i}`, `value-${i}`]).flat());
    // And the next, small head is read right after it.
    expect(parse('GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n\r\n')).toMatchObject({ ok: true, head: { rawHeaders: ['Host', 'a', 'X', 'y'] } });
  });
});

describe('header names remembered between heads', () => {
  it('hands back every name exactly as sent and lower-cased, however many names share a slot of the table', () => {
    // Far more distinct names than the table has slots, in mixed case, each sent twice in a row and again later:
    // a name is never confused with another of the same length, whatever its slot holds.
    const names = Array.from({ length: 3000 }, (_, i) => `X-${i.toString(36)}-${'Ab'.repeat(i % 5)}`);
    for (const round of [0, 1]) {
      for (const name of names) {
        for (const repeat of [0, 1]) {
          const parsed = parseRequestHead(Buffer.from(`GET / HTTP/1.1\r\nHost: a\r\n${name}: v${round}${repeat}\r\n\r\n`), LIMITS);
          if (!parsed.ok) throw new Error(`refused ${name}`);
          expect(parsed.head.rawHeaders).toEqual(['Host', 'a', name, `v${round}${repeat}`]);
          expect(parsed.head.lowerNames).toEqual(['host', name.toLowerCase()]);
        }
      }
    }
  });

  it('keeps the case of each spelling of one name apart', () => {
    for (const name of ['Content-Type', 'content-type', 'CONTENT-TYPE', 'Content-Type']) {
      const parsed = parseRequestHead(Buffer.from(`GET / HTTP/1.1\r\n${name}: x\r\n\r\n`), LIMITS);
      expect(parsed.ok && parsed.head.rawHeaders[0]).toBe(name);
      expect(parsed.ok && parsed.head.lowerNames[0]).toBe('content-type');
    }
  });
});
