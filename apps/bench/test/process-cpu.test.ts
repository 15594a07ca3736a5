import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuPerRequest, cpuSnapshot, MIN_MEASURED_CPU_MS, measureCpu, statTicks, statusPreemptions } from '../src/system/process-cpu.js';
import { processTree } from '../src/system/rss.js';

/** Kill a process and every descendant (an orphaned child would keep the test's pipes open). */
function killTree(pid: number): void {
  for (const p of processTree(pid).reverse()) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

describe('statTicks', () => {
  it('adds utime and stime, counting fields after the last parenthesis of the command name', () => {
    // A command name with spaces and parentheses of its own: a naive split by spaces would read the wrong fields.
    const stat = '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 3186 0 0 0 733 121 0 0 20 0 11 0 1234 1100000000 12000';
    expect(statTicks(stat)).toBe(733 + 121);
  });

  it('reads a missing or cut line as nothing', () => {
    expect(statTicks('')).toBe(0);
    expect(statTicks('4242 (node) S 1')).toBe(0);
  });
});

describe('statusPreemptions', () => {
  it('reads nonvoluntary_ctxt_switches, not the voluntary count beside it', () => {
    expect(statusPreemptions('Name:\tnode\nvoluntary_ctxt_switches:\t17\nnonvoluntary_ctxt_switches:\t5\n')).toBe(5);
    expect(statusPreemptions('')).toBe(0);
  });
});

describe('cpuPerRequest', () => {
  it('divides the CPU and the preemptions of the run by its requests', () => {
    const figure = cpuPerRequest({ cpuMs: 1000, preemptions: 10 }, { cpuMs: 3000, preemptions: 50_010 }, 50_000);
    expect(figure).toEqual({ cpuUsPerRequest: 40, preemptionsPerRequest: 1 });
  });

  it('gives no figure when the clock tick would decide it, or when nothing was answered', () => {
    expect(cpuPerRequest({ cpuMs: 0, preemptions: 0 }, { cpuMs: MIN_MEASURED_CPU_MS - 10, preemptions: 3 }, 200)).toBeUndefined();
    expect(cpuPerRequest({ cpuMs: 0, preemptions: 0 }, { cpuMs: 5000, preemptions: 3 }, 0)).toBeUndefined();
  });
});

describe('cpuSnapshot', () => {
  let parent: ChildProcess | undefined;
  afterEach(() => {
    if (parent?.pid !== undefined) killTree(parent.pid);
  });

  it("counts the CPU of a target's descendants while they run", async () => {
    // A parent that burns nothing, and a child of it that spins for 600 ms, then idles until killed.
    const child = "const end = Date.now() + 600; while (Date.now() < end); console.log('spun'); setTimeout(() => {}, 60000);";
    const script = `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: ['ignore', 'inherit', 'inherit'] }); setTimeout(() => {}, 60000);`;
    parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = parent.pid as number;
    const before = cpuSnapshot(pid);
    const measure = measureCpu(pid);
    const [line] = (await once(parent.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    expect(line.toString()).toContain('spun');
    const after = cpuSnapshot(pid);
    expect(after.cpuMs - before.cpuMs).toBeGreaterThanOrEqual(400);
    expect(after.cpuMs - before.cpuMs).toBeLessThan(5000);
    // The same run as a measure over 1,000 requests: ≥ 400 ms of CPU is ≥ 400 µs per request.
    expect(measure.stop(1000)?.cpuUsPerRequest).toBeGreaterThanOrEqual(400);
    // A process that is gone reads as nothing, not as an error.
    const exited = once(parent, 'exit');
    killTree(pid);
    await exited;
    expect(cpuSnapshot(pid).cpuMs).toBe(0);
  }, 20_000);
});
