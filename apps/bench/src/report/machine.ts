import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import type { MachineInfo } from './report-types.js';

function distribution(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? process.platform;
  } catch {
    return process.platform;
  }
}

/** Describe this machine; `loadAtStart` is the 1-minute load average taken before the run. */
export function describeMachine(loadAtStart: number): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    // All cores of the machine, not this process's affinity (the bench pins itself).
    cores: cpus().length,
    memoryGiB: totalmem() / 1024 ** 3,
    os: distribution(),
    kernel: release(),
    node: process.version,
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  };
}
