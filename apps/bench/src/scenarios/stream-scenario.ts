import { getOnce } from '../load/http-client.js';
import { sampleRss } from '../system/rss.js';
import { SECRET_PATH, UPSTREAM_PATHS } from '../upstream/upstream-server.js';
import type { Scenario } from './cell.js';
import { rejectedBetween } from './load-scenarios.js';

const MiB = 1024 * 1024;

/** One large streamed response read to the end: throughput, and the target's memory while it passes through. */
export const STREAM_SCENARIO: Scenario = {
  name: 'stream',
  description: 'one streamed response (1 GiB by default) read to the end: MiB/s and peak RSS of the target',
  appliesTo: () => true,
  async run(context, target) {
    const { options, targetContext } = context;
    const instance = await target.start(targetContext);
    try {
      // Open the upstream connection and let the target settle before watching memory.
      for (let i = 0; i < 3; i++) await getOnce(`${instance.url}${SECRET_PATH}`, instance.headers, 10_000);
      const rss = instance.pid === undefined ? undefined : sampleRss(instance.pid);
      const before = await targetContext.upstream.stats();
      // Bounded: no slower than 8 MiB/s, never less than a minute.
      const timeoutMs = Math.max(60_000, (options.streamBytes / (8 * MiB)) * 1000);
      const exchange = await getOnce(`${instance.url}${UPSTREAM_PATHS.stream}?bytes=${options.streamBytes}`, instance.headers, timeoutMs);
      const after = await targetContext.upstream.stats();
      const peak = rss?.stop();
      const problems: string[] = [];
      if (exchange.status !== 200) problems.push(`status ${exchange.status}`);
      if (exchange.bytes !== options.streamBytes) problems.push(`received ${exchange.bytes} of ${options.streamBytes} bytes`);
      const rejected = rejectedBetween(before, after);
      if (rejected > 0) problems.push(`${rejected} requests refused upstream for missing/wrong injected headers`);
      return {
        metrics: {
          requests: 1,
          mibPerSec: exchange.bytes / MiB / exchange.seconds,
          handshakes: after.tls.handshakes - before.tls.handshakes,
          ...(peak === undefined ? {} : { peakRssMiB: peak.peakMiB }),
        },
        problems,
      };
    } finally {
      await instance.stop();
    }
  },
};
