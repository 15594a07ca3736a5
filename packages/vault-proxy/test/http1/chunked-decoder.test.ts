import { describe, expect, it } from 'vitest';
import { ChunkedDecoder } from '../../src/http1/chunked-decoder.js';

/** Feed `parts` one after the other; the decoded payload, the bytes left after the body, and the error if any. */
function decode(parts: readonly string[]): { data: string; rest: string; error: string | undefined; done: boolean } {
  const decoder = new ChunkedDecoder();
  let data = '';
  let rest = '';
  for (const part of parts) {
    const buf = Buffer.from(part, 'latin1');
    if (decoder.done) {
      rest += part;
      continue;
    }
    const used = decoder.push(buf, (d) => {
      data += d.toString('latin1');
    });
    if (used === -1) return { data, rest, error: decoder.error, done: false };
    rest += buf.toString('latin1', used);
  }
  return { data, rest, error: undefined, done: decoder.done };
}

const BODY = '5\r\nhello\r\n1;name=value\r\n \r\n0\r\n\r\nNEXT';

describe('ChunkedDecoder', () => {
  it('decodes chunks, skips extensions, and leaves the bytes after the body alone', () => {
    expect(decode([BODY])).toEqual({ data: 'hello ', rest: 'NEXT', error: undefined, done: true });
  });

  it('gives the same answer however the bytes are split', () => {
    for (let i = 0; i <= BODY.length; i++) {
      for (const j of [i, Math.min(BODY.length, i + 1), Math.min(BODY.length, i + 7)]) {
        expect(decode([BODY.slice(0, i), BODY.slice(i, j), BODY.slice(j)]), `${i}/${j}`).toEqual({
          data: 'hello ',
          rest: 'NEXT',
          error: undefined,
          done: true,
        });
      }
    }
  });

  it('waits for more until the last chunk and the empty line', () => {
    expect(decode(['5\r\nhel'])).toMatchObject({ data: 'hel', done: false });
    expect(decode(['0\r\n'])).toMatchObject({ done: false });
    expect(decode(['0\r\n\r\n'])).toMatchObject({ done: true });
  });

  it.each([
    ['a bare LF after the size', '5\nhello\r\n0\r\n\r\n'],
    ['a bare CR in the size line', '5\rx\r\nhello\r\n0\r\n\r\n'],
    ['no CRLF after the data', '5\r\nhelloX\r\n0\r\n\r\n'],
    ['a size that is not hex', 'g\r\n'],
    ['an empty size', '\r\n'],
    ['a signed size', '+5\r\nhello\r\n'],
    ['a size with spaces', ' 5\r\nhello\r\n'],
    ['a size too long', `${'1'.repeat(13)}\r\n`],
    ['a control byte in an extension', '5;a=\x01\r\nhello\r\n'],
    ['a trailer field (parsers disagree on them; none is sent on this path)', '0\r\nX-Trailer: t\r\n\r\n'],
    ['a trailer without a name', '0\r\n: x\r\n\r\n'],
    ['a bare LF in a trailer', '0\r\nX: y\n\r\n'],
  ])('refuses %s', (_what, text) => {
    expect(decode([text]).error).toBeDefined();
  });
});
