import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CpuPlan, pinnedCommand } from '../system/cpu-plan.js';
import type { Loader, LoadResult, LoadSpec } from './loader.js';

/** `user-agent` → `User-Agent`: wrk's own `Host` entry must be replaced, not joined by a second `host`. */
function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function luaString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The Lua script: method, headers, body, and a JSON summary line. */
export function wrkScript(spec: LoadSpec): string {
  const lines = [`wrk.method = ${luaString(spec.method)}`];
  if (spec.requests !== undefined) throw new Error('wrk runs are timed; counted runs go to autocannon');
  for (const [name, value] of Object.entries(spec.headers)) lines.push(`wrk.headers[${luaString(canonical(name))}] = ${luaString(value)}`);
  if (spec.bodyBytes !== undefined) lines.push(`wrk.body = string.rep("x", ${spec.bodyBytes})`);
  lines.push(
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("\\nBENCH_WRK {\\"requests\\":%d,\\"duration_us\\":%d,\\"bytes\\":%d,\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50\\":%d,\\"p99\\":%d,\\"max\\":%d}\\n",',
    '    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(99), latency.max))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

interface WrkSummary {
  requests: number;
  duration_us: number;
  bytes: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * wrk (C, one thread), pinned to the load generator's cores; microsecond
 * latencies from its histogram. wrk always runs for its whole `-d`, so runs
 * of a fixed request count (the handshake scenario, `--quick`) go to `counted`.
 */
export function wrkLoader(binary: string, version: string, plan: CpuPlan, dir: string, counted: Loader): Loader {
  let scripts = 0;
  return {
    name: 'wrk',
    version,
    run(spec: LoadSpec): Promise<LoadResult> {
      if (spec.requests !== undefined) return counted.run(spec);
      const script = join(dir, `wrk-${++scripts}.lua`);
      writeFileSync(script, wrkScript(spec), { mode: 0o600 });
      const seconds = Math.max(1, Math.round(spec.durationSec ?? 1));
      const [command, args] = pinnedCommand(plan, plan.loader, binary, [
        '-t1',
        `-c${spec.connections}`,
        `-d${seconds}s`,
        `--timeout`,
        `${Math.max(1, Math.ceil(spec.timeoutSec))}s`,
        '-s',
        script,
        spec.url,
      ]);
      return new Promise((resolve, reject) => {
        execFile(command, args, { timeout: (seconds + spec.timeoutSec + 10) * 1000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
          const line = /BENCH_WRK (\{.*\})/.exec(stdout)?.[1];
          if (line === undefined) {
            reject(new Error(`wrk gave no summary (${err?.message ?? 'no error'}): ${String(stderr).trim().slice(0, 300)}`));
            return;
          }
          const s = JSON.parse(line) as WrkSummary;
          const durationSec = s.duration_us / 1e6;
          resolve({
            requests: s.requests,
            durationSec,
            requestsPerSec: durationSec > 0 ? (s.requests - s.status) / durationSec : 0,
            bytesPerSec: durationSec > 0 ? s.bytes / durationSec : 0,
            p50Ms: s.p50 / 1000,
            p99Ms: s.p99 / 1000,
            maxMs: s.max / 1000,
            errors: s.connect + s.read + s.write + s.timeout,
            badStatus: s.status,
          });
        });
      });
    },
  };
}
