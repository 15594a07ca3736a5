import { directHeaders } from '../upstream/expected-headers.js';
import type { Target } from './target.js';

/**
 * The limit: the client calls the upstream itself, over plain HTTP, sending
 * the CF headers, Host and User-Agent a proxy would add. No process is started.
 */
export function directTarget(): Target {
  return {
    name: 'direct',
    version: `node ${process.version} (plain HTTP to the upstream)`,
    async start(context) {
      return {
        url: context.upstream.plainUrl,
        pid: undefined,
        listenMs: undefined,
        spawnedAt: undefined,
        headers: directHeaders(context.expected),
        async stop() {},
      };
    },
  };
}
