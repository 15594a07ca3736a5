import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuPlan } from '../system/cpu-plan.js';
import { freePort } from '../system/free-port.js';
import { type RunningService, startService } from '../system/service.js';
import type { ExpectedHeaders } from './expected-headers.js';
import type { UpstreamStats } from './upstream-server.js';

/** The upstream process, as the bench sees it. */
export interface UpstreamProcess {
  readonly service: RunningService;
  /** Port of the HTTPS listener (proxies dial it). */
  readonly tlsPort: number;
  /** Base URL of the plain HTTP listener (the `direct` row). */
  readonly plainUrl: string;
  /** Current counters. */
  stats(): Promise<UpstreamStats>;
}

/** Start `dist/upstream-main.js` pinned to the upstream's cores. */
export async function startUpstream(options: {
  dir: string;
  certFile: string;
  keyFile: string;
  expected: ExpectedHeaders;
  plan: CpuPlan;
}): Promise<UpstreamProcess> {
  const ports = { tls: await freePort(), plain: await freePort(), control: await freePort() };
  const configFile = join(options.dir, 'upstream.json');
  writeFileSync(configFile, JSON.stringify({ certFile: options.certFile, keyFile: options.keyFile, expected: options.expected, ports }), {
    mode: 0o600,
  });
  const service = await startService({
    name: 'bench upstream',
    command: process.execPath,
    args: [fileURLToPath(new URL('./upstream-main.js', import.meta.url))],
    env: { ...process.env, BENCH_UPSTREAM_CONFIG: configFile },
    plan: options.plan,
    cpus: options.plan.upstream,
    logFile: join(options.dir, 'upstream.log'),
    port: ports.control,
  });
  const stats = (): Promise<UpstreamStats> =>
    new Promise((resolve, reject) => {
      const req = get({ host: '127.0.0.1', port: ports.control, path: '/__stats', agent: false, timeout: 10_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve(JSON.parse(body) as UpstreamStats));
      });
      req.on('timeout', () => req.destroy(new Error('upstream stats timed out')));
      req.on('error', reject);
    });
  return { service, tlsPort: ports.tls, plainUrl: `http://127.0.0.1:${ports.plain}`, stats };
}
