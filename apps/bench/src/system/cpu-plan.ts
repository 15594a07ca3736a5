import { cpus } from 'node:os';

/**
 * Which cores each party may use. The upstream always gets a core of its own
 * so that its cost is the same whatever sits in front of it; the target
 * (proxy or peer) shares the rest with the load generator, like a proxy
 * shares a developer machine with its clients.
 */
export interface CpuPlan {
  /** Whether processes are pinned at all (`taskset` found, ≥ 2 cores, pinning wanted). */
  readonly pinned: boolean;
  /** `taskset`'s path when pinned. */
  readonly taskset: string | undefined;
  readonly upstream: readonly number[];
  readonly target: readonly number[];
  readonly loader: readonly number[];
  /** One line saying how the cores were split, or why they were not. */
  readonly description: string;
}

function list(cpus: readonly number[]): string {
  return cpus.join(',');
}

/**
 * Split `cores` cores: 2–3 → upstream on the last, target and loader share the
 * others; ≥ 4 → upstream on the last, loader on the one before, target on the rest.
 */
export function planCpus(taskset: string | undefined, pin: boolean, cores: number = cpus().length): CpuPlan {
  const all = Array.from({ length: cores }, (_, i) => i);
  const unpinned = (why: string): CpuPlan => ({
    pinned: false,
    taskset: undefined,
    upstream: all,
    target: all,
    loader: all,
    description: `not pinned: ${why}`,
  });
  if (!pin) return unpinned('--no-pin');
  if (taskset === undefined) return unpinned('taskset not found');
  if (cores < 2) return unpinned('a single core');
  const upstream = [cores - 1];
  const loader = cores >= 4 ? [cores - 2] : all.slice(0, cores - 1);
  const target = cores >= 4 ? all.slice(0, cores - 2) : all.slice(0, cores - 1);
  return {
    pinned: true,
    taskset,
    upstream,
    target,
    loader,
    description: `upstream on cpu ${list(upstream)}; target on cpu ${list(target)}; load generator on cpu ${list(loader)}`,
  };
}

/** `command args` wrapped in `taskset -c <cpus>` when the plan pins. */
export function pinnedCommand(plan: CpuPlan, cpus: readonly number[], command: string, args: readonly string[]): [string, string[]] {
  if (!plan.pinned || plan.taskset === undefined) return [command, [...args]];
  return [plan.taskset, ['-c', list(cpus), command, ...args]];
}
