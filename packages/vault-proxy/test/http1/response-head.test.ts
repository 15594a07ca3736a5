import { describe, expect, it } from 'vitest';
import { parseResponseHead } from '../../src/http1/response-head.js';

const LIMITS = { maxHeaderSize: 16_384, maxHeaderCount: 100 };
const head = (statusLine: string) => parseResponseHead(Buffer.from(`${statusLine}\r\nContent-Length: 0\r\n\r\n`), LIMITS, 'GET');

describe('parseResponseHead: the status line', () => {
  it('reads the version, the status and the reason (which may be empty or absent)', () => {
    expect(head('HTTP/1.1 200 OK')).toMatchObject({ ok: true, head: { status: 200, reason: 'OK', http10: false } });
    expect(head('HTTP/1.0 404 Not Found')).toMatchObject({ ok: true, head: { status: 404, reason: 'Not Found', http10: true } });
    expect(head('HTTP/1.1 204')).toMatchObject({ ok: true, head: { status: 204, reason: '' } });
    expect(head('HTTP/1.1 503 ')).toMatchObject({ ok: true, head: { status: 503, reason: '' } });
    expect(head('HTTP/1.1 101 Switching Protocols')).toMatchObject({ ok: true, head: { status: 101 } });
  });

  it('refuses any other shape', () => {
    for (const line of [
      'HTTP/1.2 200 OK',
      'HTTP/2.0 200 OK',
      'http/1.1 200 OK',
      'HTTP/1.1 2000 OK',
      'HTTP/1.1 20 OK',
      'HTTP/1.1 600 Weird',
      'HTTP/1.1 099 Low',
      'HTTP/1.1  200 OK',
      'HTTP/1.1 200\tOK',
      'HTTP/1.1 2x0 OK',
      'HTTP/1.1200 OK',
      'ICY 200 OK',
    ]) {
      expect(head(line), line).toMatchObject({ ok: false, problem: 'invalid' });
    }
  });

  it('remembers the Keep-Alive timeout hint per value', () => {
    const withHint = (value: string) =>
      parseResponseHead(Buffer.from(`HTTP/1.1 200 OK\r\nKeep-Alive: ${value}\r\nContent-Length: 0\r\n\r\n`), LIMITS, 'GET');
    expect(withHint('timeout=5')).toMatchObject({ ok: true, head: { keepAliveMs: 5000 } });
    expect(withHint('timeout=5')).toMatchObject({ ok: true, head: { keepAliveMs: 5000 } });
    expect(withHint('max=100, timeout=72')).toMatchObject({ ok: true, head: { keepAliveMs: 72_000 } });
    expect(withHint('max=100')).toMatchObject({ ok: true, head: { keepAliveMs: undefined } });
    expect(withHint('timeout=5')).toMatchObject({ ok: true, head: { keepAliveMs: 5000 } });
  });
});
