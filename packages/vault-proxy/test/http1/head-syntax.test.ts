import { describe, expect, it } from 'vitest';
import { splitHead } from '../../src/http1/head-syntax.js';

// The line scan reads four bytes a step and falls back to one at a time: every byte value at every
// position of a step, in the first line and in a value, must get the per-byte rule, also in a head
// cut short (a refused byte is refused as soon as it has arrived, whatever its place in a step).

const LIMITS = { maxHeaderSize: 16_384, maxHeaderCount: 100 };
/** The per-byte rule: a control byte other than HTAB, or DEL, may not stand in a line. */
const refusedByte = (b: number): boolean => (b < 32 && b !== 9) || b === 127;
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('splitHead: the line scan, byte by byte', () => {
  it('applies the rule to every byte value at every position of a header value (lengths 1–13)', () => {
    for (let length = 1; length <= 13; length++) {
      for (let at = 0; at < length; at++) {
        for (let b = 0; b < 256; b++) {
          const value = Buffer.alloc(length, 'v');
          value[at] = b;
          const head = Buffer.concat([latin1('GET / HTTP/1.1\r\nX-V: '), value, latin1('\r\nHost: a\r\n\r\n')]);
          const r = splitHead(head, LIMITS);
          // A tab is OWS at the value's start and refused at its end (parsers disagree on it there).
          const expected = !refusedByte(b) && !(b === 9 && at === length - 1);
          expect(r.ok, `byte ${b} at ${at} of ${length}`).toBe(expected);
          if (r.ok && b > 32 && b !== 127) expect(r.head.rawHeaders[1]).toBe(value.toString('latin1'));
        }
      }
    }
  });

  it('applies the rule to every byte value at every position of the first line', () => {
    for (let at = 0; at < 11; at++) {
      for (let b = 0; b < 256; b++) {
        const line = Buffer.from('GET /abcdef');
        line[at] = b;
        const r = splitHead(Buffer.concat([line, latin1('\r\nHost: a\r\n\r\n')]), LIMITS);
        expect(r.ok, `byte ${b} at ${at}`).toBe(!refusedByte(b));
        if (r.ok) expect(r.head.firstLine).toBe(line.toString('latin1'));
      }
    }
  });

  it('refuses a bad byte in a head cut short as soon as the byte has arrived, and waits before it', () => {
    const head = latin1('GET /a-long-enough-target HTTP/1.1\r\nAuthorization: Bearer abcdefghijklmnop\r\n\r\n');
    for (const at of [5, 6, 7, 8, 9, 40, 50, 51, 52, 53]) {
      for (const b of [0, 10, 31, 127]) {
        const bad = Buffer.from(head);
        bad[at] = b;
        for (let cut = 1; cut < bad.length; cut++) {
          const r = splitHead(bad.subarray(0, cut), LIMITS);
          if (cut <= at) expect(r, `cut ${cut}, byte ${b} at ${at}`).toEqual({ ok: false, problem: 'incomplete' });
          else expect(r.ok === false && r.problem, `cut ${cut}, byte ${b} at ${at}`).toBe('invalid');
        }
      }
    }
  });

  it('never reads past the size limit: a line running to it is too large, whatever lies beyond', () => {
    // A NUL just past the limit, at every offset within a four-byte step: within the limit everything
    // is valid, so the head is too large; one byte more of limit and the NUL is read and refused.
    for (let nulAt = 40; nulAt < 48; nulAt++) {
      const head = latin1(`GET /${'a'.repeat(nulAt - 5)}\x00 HTTP/1.1\r\n\r\n`);
      for (let max = nulAt - 4; max <= nulAt; max++) {
        expect(splitHead(head, { maxHeaderSize: max, maxHeaderCount: 100 }), `NUL at ${nulAt}, limit ${max}`).toEqual({
          ok: false,
          problem: 'too-large',
        });
      }
      expect(splitHead(head, { maxHeaderSize: nulAt + 1, maxHeaderCount: 100 })).toMatchObject({ ok: false, problem: 'invalid' });
    }
  });
});
