/**
 * Resolve after `ms`. A plain timer rather than `node:timers/promises`, which
 * would be one more builtin module in every `vault-proxy start` (idle RSS,
 * BENCHMARKS.md, issue 13).
 * @internal
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
