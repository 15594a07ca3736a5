import { execFileSync } from 'node:child_process';
import { processTree, procText } from './rss.js';

/**
 * CPU spent by a process tree, read from `/proc`: what a target cost per
 * request, whatever share of the core the load generator beside it took.
 * req/s on a shared core is the cycle of target, load generator and the
 * switches between them; CPU per request is the target's part alone, so a
 * change to the proxy shows in it even when the scheduler blurs req/s
 * (BENCHMARKS.md §How it measures).
 */
export interface CpuSnapshot {
  /** User + system time of every process in the tree (all threads, exited ones included), ms. */
  readonly cpuMs: number;
  /** Involuntary context switches of each process's main thread (the event loop): times it was preempted while it had work. */
  readonly preemptions: number;
}

/** CPU per request over a run; absent when the run was too short for the clock's resolution. */
export interface CpuPerRequest {
  /** CPU time per answered request, µs. */
  readonly cpuUsPerRequest: number;
  /** Involuntary context switches of the target's main threads per answered request. */
  readonly preemptionsPerRequest: number;
}

/**
 * Clock ticks per second of `/proc/<pid>/stat`'s times (`USER_HZ`, 100 on
 * Linux whatever the kernel's own tick): asked of `getconf` once.
 */
let ticksPerSecond: number | undefined;
function userHz(): number {
  if (ticksPerSecond === undefined) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * `utime + stime` (clock ticks) of a `/proc/<pid>/stat` line: fields 14 and
 * 15, counted after the command name, which is in parentheses and may hold
 * spaces and parentheses itself (so the split is at its last `)`).
 */
export function statTicks(stat: string): number {
  const close = stat.lastIndexOf(')');
  if (close === -1) return 0;
  // After ") ": field 3 (state) is index 0, so utime (field 14) is index 11 and stime (15) index 12.
  const fields = stat.slice(close + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : 0;
}

/** `nonvoluntary_ctxt_switches` of a `/proc/<pid>/status` text (0 when absent). */
export function statusPreemptions(status: string): number {
  const match = /^nonvoluntary_ctxt_switches:\s+(\d+)$/m.exec(status);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** CPU used so far by the process `root` and its descendants (nginx's master and workers, for instance). */
export function cpuSnapshot(root: number): CpuSnapshot {
  let ticks = 0;
  let preemptions = 0;
  for (const pid of processTree(root)) {
    ticks += statTicks(procText(pid, 'stat'));
    preemptions += statusPreemptions(procText(pid, 'status'));
  }
  return { cpuMs: (ticks * 1000) / userHz(), preemptions };
}

/**
 * Below this much CPU over a run the 10 ms clock tick decides the figure
 * (`--quick` runs a handful of requests): no figure rather than a wrong one.
 */
export const MIN_MEASURED_CPU_MS = 200;

/** CPU per request between two snapshots of the same tree; `undefined` when too little was measured to mean anything. */
export function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuPerRequest | undefined {
  const cpuMs = after.cpuMs - before.cpuMs;
  if (requests <= 0 || cpuMs < MIN_MEASURED_CPU_MS) return undefined;
  return {
    cpuUsPerRequest: (cpuMs * 1000) / requests,
    preemptionsPerRequest: Math.max(0, after.preemptions - before.preemptions) / requests,
  };
}

/**
 * Start measuring the CPU of the process `root` and its descendants; `stop`
 * gives the CPU per request of what ran in between (as `sampleRss` does
 * for memory).
 */
export function measureCpu(root: number): { stop(requests: number): CpuPerRequest | undefined } {
  const before = cpuSnapshot(root);
  return { stop: (requests) => cpuPerRequest(before, cpuSnapshot(root), requests) };
}
