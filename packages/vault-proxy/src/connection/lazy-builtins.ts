import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';

/**
 * `node:tls`, loaded on first use rather than at import: loading it costs
 * `vault-proxy start` several ms before it can listen (time to listening is
 * a product target, BENCHMARKS.md), and it is not needed until the first
 * upstream connection. A require of a builtin does
 * not depend on the path it is created from.
 * @internal
 */
const load = createRequire(process.execPath);

let tls: typeof Tls | undefined;

/** `node:tls`, loaded on first call. @internal */
export function nodeTls(): typeof Tls {
  tls ??= load('node:tls') as typeof Tls;
  return tls;
}
