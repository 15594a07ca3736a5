import { readdirSync, readFileSync } from 'node:fs';

/** The pid and every descendant (nginx's master and workers, for instance). */
export function processTree(root: number): number[] {
  const out: number[] = [];
  const visit = (pid: number): void => {
    out.push(pid);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ')) if (child.trim() !== '') visit(Number(child));
    }
  };
  visit(root);
  return out;
}

/** The text of `/proc/<pid>/<file>` (`status`, `stat`), or `''` when the process is gone (it adds nothing more). */
export function procText(pid: number, file: 'status' | 'stat'): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/** A `kB` field of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), or 0 when the process is gone. */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(procText(pid, 'status'));
  return match?.[1] ? Number(match[1]) : 0;
}

/** Peak memory of a process tree over a run. */
export interface RssPeak {
  /** Σ VmHWM over the tree at the end: the kernel's own high-water mark, an upper bound for a multi-process tree. */
  readonly peakMiB: number;
  /** The largest Σ VmRSS seen by sampling. */
  readonly sampledMiB: number;
}

/**
 * Samples Σ VmRSS of a process tree every `intervalMs` until `stop()`,
 * which also reads Σ VmHWM (the processes are fresh per run, so their
 * high-water mark covers exactly that run and its warm-up).
 */
export function sampleRss(root: number, intervalMs = 50): { stop(): RssPeak } {
  let sampled = 0;
  let pids = processTree(root);
  const sample = (): void => {
    pids = processTree(root);
    let sum = 0;
    for (const pid of pids) sum += statusKb(pid, 'VmRSS');
    if (sum > sampled) sampled = sum;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      let hwm = 0;
      for (const pid of pids) hwm += statusKb(pid, 'VmHWM');
      return { peakMiB: Math.max(hwm, sampled) / 1024, sampledMiB: sampled / 1024 };
    },
  };
}

/** Σ VmRSS of a process tree right now, MiB (what it holds, not its high-water mark). */
export function rssNowMiB(root: number): number {
  let sum = 0;
  for (const pid of processTree(root)) sum += statusKb(pid, 'VmRSS');
  return sum / 1024;
}
