import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSoak } from '../src/soak.js';

const cli = fileURLToPath(new URL('../../cli/dist/vault-proxy.cjs', import.meta.url));

describe('soak (a short run; `pnpm soak` runs the full 20,000)', () => {
  it('answers every request, misroutes none, replays no write, while the upstream resets connections', async () => {
    expect(existsSync(cli), 'build apps/cli first (turbo builds it before tests)').toBe(true);
    const report = await runSoak({ requests: 1_500, concurrency: 16, resetRate: 0.02 });
    expect(report.resets).toBeGreaterThan(10);
    expect(report.unanswered).toBe(0);
    expect(report.misrouted).toBe(0);
    expect(report.foreign).toBe(0);
    expect(report.anomalies).toBe(0);
    expect(report.replayedWrites).toBe(0);
    expect(Object.keys(report.statuses).sort()).toEqual(['200', '502']);
    expect(report.ok).toBe(true);
  }, 120_000);
});
