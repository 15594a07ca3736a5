import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { ExpectedHeaders } from './upstream/expected-headers.js';
import { createBenchUpstream } from './upstream/upstream-server.js';

/** The file named by `BENCH_UPSTREAM_CONFIG`, written by the bench. */
interface UpstreamProcessConfig {
  readonly certFile: string;
  readonly keyFile: string;
  readonly expected: ExpectedHeaders;
  readonly ports: { readonly tls: number; readonly plain: number; readonly control: number };
}

// The bench upstream as its own process, so it can be pinned to its own core.
const configFile = process.env.BENCH_UPSTREAM_CONFIG;
if (configFile === undefined) {
  console.error('BENCH_UPSTREAM_CONFIG is not set: this program is started by the bench.');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configFile, 'utf8')) as UpstreamProcessConfig;
const upstream = createBenchUpstream({
  cert: readFileSync(config.certFile, 'utf8'),
  key: readFileSync(config.keyFile, 'utf8'),
  expected: config.expected,
});
const listen = (server: Server, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
// The control port last: the bench takes its first accepted connection as "ready".
await listen(upstream.tls, config.ports.tls);
await listen(upstream.plain, config.ports.plain);
await listen(upstream.control, config.ports.control);
const stop = (): void => process.exit(0);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
