import { firstOk } from '../load/http-client.js';
import { sampleRss } from '../system/rss.js';
import { SECRET_PATH } from '../upstream/upstream-server.js';
import type { Scenario } from './cell.js';
import { loadProblems, rejectedBetween } from './load-scenarios.js';

/** Process start to listening, and to the first 200 answered through it (upstream TLS handshake included). */
export const COLD_START_SCENARIO: Scenario = {
  name: 'cold-start',
  description: 'process spawn → port accepting (listen) and → first 200 answered through it, ms',
  appliesTo: (target) => target !== 'direct',
  async run(context, target) {
    const instance = await (target.startCold ?? target.start)(context.targetContext);
    try {
      const okAt = await firstOk(`${instance.url}${SECRET_PATH}`, instance.headers, 15_000);
      const peak = instance.pid === undefined ? undefined : sampleRss(instance.pid).stop();
      return {
        metrics: {
          ...(instance.listenMs === undefined ? {} : { listenMs: instance.listenMs }),
          ...(instance.spawnedAt === undefined ? {} : { firstOkMs: okAt - instance.spawnedAt }),
          ...(peak === undefined ? {} : { peakRssMiB: peak.peakMiB }),
        },
        problems: [],
      };
    } finally {
      await instance.stop();
    }
  },
};

/** A fresh instance takes N requests at concurrency 128; how many TLS handshakes reached the upstream? */
export const HANDSHAKE_SCENARIO: Scenario = {
  name: 'handshakes',
  description: 'fresh target, 10,000 get-secret requests at concurrency 128: upstream TLS handshakes (pool size 64)',
  appliesTo: () => true,
  async run(context, target) {
    const { options, loader, targetContext } = context;
    const instance = await target.start(targetContext);
    try {
      const before = await targetContext.upstream.stats();
      const result = await loader.run({
        url: `${instance.url}${SECRET_PATH}`,
        method: 'GET',
        headers: instance.headers,
        connections: 128,
        requests: options.handshakeRequests,
        timeoutSec: 60,
      });
      const after = await targetContext.upstream.stats();
      const handshakes = after.tls.handshakes - before.tls.handshakes;
      return {
        metrics: {
          requests: result.requests,
          handshakes,
          handshakesPer10k: result.requests > 0 ? (handshakes * 10_000) / result.requests : 0,
        },
        problems: loadProblems(result, rejectedBetween(before, after)),
      };
    } finally {
      await instance.stop();
    }
  },
};
