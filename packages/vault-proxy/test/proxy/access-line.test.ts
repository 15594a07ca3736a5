import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AccessEntry, formatAccessLine } from '../../src/proxy/access-log.js';

const entry = (durationMs: number, upstreamMs: number | undefined): AccessEntry => ({
  method: 'GET',
  target: '/api/v3/secrets/raw/KEY?workspaceId=w1&environment=prod',
  status: 200,
  upstreamMs,
  durationMs,
  bytes: 12,
  code: undefined,
  aborted: false,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the access line', () => {
  it('stamps the current time exactly as toISOString does, across milliseconds, seconds and days', () => {
    vi.useFakeTimers();
    let time = Date.UTC(2026, 10, 30, 23, 59, 58, 990);
    for (const step of [0, 1, 3, 6, 9, 10, 90, 899, 1, 1000, 86_400_000, 7]) {
      time += step;
      vi.setSystemTime(time);
      const now = new Date(Date.now()).toISOString();
      const iso = vi.spyOn(Date.prototype, 'toISOString');
      expect(JSON.parse(formatAccessLine(entry(1, 1), 'json')).time).toBe(now);
      expect(formatAccessLine(entry(1, 1), 'pretty').startsWith(`${now} INFO  GET `)).toBe(true);
      // Not by calling it: Node 20's toISOString loads ICU's time-zone database (BENCHMARKS.md step 11).
      expect(iso).not.toHaveBeenCalled();
      iso.mockRestore();
    }
  });

  it('writes durations with one decimal, rounded as the JSON line rounds them, and query values never', () => {
    for (const ms of [0, 0.04, 0.05, 0.25, 1.45, 9.95, 12.3456, 999.99, 123_456.78]) {
      const line = formatAccessLine(entry(ms, ms / 2), 'pretty');
      const json = JSON.parse(formatAccessLine(entry(ms, ms / 2), 'json'));
      const tenths = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
      expect(line).toContain(`total=${tenths(ms)}ms`);
      expect(line).toContain(`upstream=${tenths(ms / 2)}ms`);
      expect(Number(tenths(ms))).toBe(json.durationMs);
      expect(line).toContain('/api/v3/secrets/raw/KEY?workspaceId=&environment= 200');
    }
  });
});
