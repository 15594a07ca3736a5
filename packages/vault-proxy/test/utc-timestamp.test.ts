import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/proxy/logger.js';
import { utcTimestamp } from '../src/utc-timestamp.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('utcTimestamp', () => {
  it('writes what toISOString writes, at the edges of every field', () => {
    const edges = [
      0,
      -1,
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12, 0, 0, 5),
      Date.UTC(2024, 1, 29, 0, 0, 0, 50),
      Date.UTC(2026, 10, 30, 9, 8, 7, 6),
      Date.UTC(2100, 2, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      -86_400_000 * 365 * 1000,
      Date.parse('0001-01-01T00:00:00.000Z'),
      Date.parse('0000-02-29T23:59:59.999Z'),
    ];
    for (const ms of edges) expect(utcTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes what toISOString writes for random instants from 1970 to 2200', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(next() * Date.UTC(2200, 0, 1));
      expect(utcTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('leaves years outside 0-9999 to toISOString, and defaults to now', () => {
    for (const ms of [Date.UTC(10_000, 0, 1), Date.UTC(-1, 5, 1), -62_198_755_200_001]) {
      expect(utcTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 10, 30, 1, 2, 3, 4));
    expect(utcTimestamp()).toBe('2026-11-30T01:02:03.004Z');
    vi.useRealTimers();
  });

  // Why this matters: Node 20's toISOString loads ICU's time-zone database
  // (≈ 0.9 MiB resident for the life of the process; BENCHMARKS.md step 11).
  it('is what the proxy stamps its log lines with: toISOString and local-time formatting are never called', () => {
    const zoned = ['toISOString', 'toString', 'toJSON', 'getTimezoneOffset', 'toLocaleString'] as const;
    const spies = zoned.map((name) => vi.spyOn(Date.prototype, name));
    const lines: string[] = [];
    const pretty = createLogger('info', 'pretty', (line) => lines.push(line));
    const json = createLogger('info', 'json', (line) => lines.push(line));
    pretty.info('listening', { url: 'http://127.0.0.1:2019' });
    json.warn('slow upstream', { ms: 3 });
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}listening url=http:\/\/127\.0\.0\.1:2019$/);
    expect(JSON.parse(lines[1] as string).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
