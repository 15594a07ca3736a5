const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** `n` (0–999, the milliseconds of a time stamp) as three digits. @internal */
export function threeDigits(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`;
}

/**
 * `new Date(ms).toISOString()`, from the UTC fields alone.
 *
 * Why not `toISOString`: on the V8 of Node 20 it computes the local time
 * offset and zone name before it formats, which loads ICU's time-zone
 * database on first use: ≈ 0.9 MiB of the node binary's pages stay
 * resident for the life of the process (the proxy idled at 49.3 MiB with
 * it, 48.4 without; BENCHMARKS.md, issue 13 step 11). The UTC getters
 * never ask for the zone. Years outside 0–9999, which ISO writes with six
 * digits and a sign, are left to `toISOString`.
 * @internal
 */
export function utcTimestamp(ms: number = Date.now()): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return d.toISOString();
  return `${`${year}`.padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${threeDigits(d.getUTCMilliseconds())}Z`;
}
