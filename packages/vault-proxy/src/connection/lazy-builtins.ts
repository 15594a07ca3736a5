import type * as Tls from 'node:tls';

let tls: typeof Tls | undefined;

/**
 * `node:tls`, loaded on first use rather than at import: loading it costs
 * `vault-proxy start` several ms before it can listen (time to listening is
 * a product target, BENCHMARKS.md), and it is not needed until the first
 * upstream connection. Fetched with `process.getBuiltinModule` (Node ≥ 20.16;
 * the package needs ≥ 20.19), which, unlike `createRequire`, loads no module
 * machinery of its own.
 * @internal
 */
export function nodeTls(): typeof Tls {
  tls ??= process.getBuiltinModule('node:tls');
  return tls;
}
