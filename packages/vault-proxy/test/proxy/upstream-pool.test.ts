import type { Agent as HttpsAgent } from 'node:https';
import { describe, expect, it } from 'vitest';
import { resolveProxyOptions } from '../../src/proxy/proxy-options.js';
import { createUpstreamTransport } from '../../src/proxy/upstream-pool.js';

function transportFor(options: Parameters<typeof resolveProxyOptions>[0]) {
  return createUpstreamTransport(resolveProxyOptions({ cfAccessClientId: 'id', cfAccessClientSecret: 's', ...options }, {}));
}

describe('upstream pool', () => {
  it('keeps connections alive, bounded by poolSize, reusing the most recent first', () => {
    const t = transportFor({ poolSize: 7 });
    const agent = t.agent as HttpsAgent & { keepAlive: boolean; maxSockets: number; maxFreeSockets: number; scheduling: string };
    expect(agent.keepAlive).toBe(true);
    expect(agent.maxSockets).toBe(7);
    expect(agent.maxFreeSockets).toBe(7);
    expect(agent.scheduling).toBe('lifo');
    t.destroy();
  });

  it('leaves Node’s default trust alone without an extra CA', () => {
    const t = transportFor({});
    expect((t.agent as HttpsAgent).options.ca).toBeUndefined();
    expect((t.agent as HttpsAgent).options.rejectUnauthorized).not.toBe(false);
    t.destroy();
  });
});
