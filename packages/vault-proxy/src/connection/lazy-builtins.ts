import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';

/**
 * `node:tls` and `node:http`, loaded on first use rather than at import:
 * loading them costs `vault-proxy start` ~8 ms before it can listen (time to
 * listening is a product target, BENCHMARKS.md), and neither is needed until
 * the first upstream connection or local probe. A require of a builtin does
 * not depend on the path it is created from.
 * @internal
 */
const load = createRequire(process.execPath);

let tls: typeof Tls | undefined;
let http: typeof Http | undefined;

/** `node:tls`, loaded on first call. @internal */
export function nodeTls(): typeof Tls {
  tls ??= load('node:tls') as typeof Tls;
  return tls;
}

/** `node:http`, loaded on first call. @internal */
export function nodeHttp(): typeof Http {
  http ??= load('node:http') as typeof Http;
  return http;
}
