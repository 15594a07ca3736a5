import { setTimeout as sleep } from 'node:timers/promises';
import { firstOk } from '../load/http-client.js';
import { type RssPeak, rssNowMiB, sampleRss } from '../system/rss.js';
import { SECRET_PATH } from '../upstream/upstream-server.js';
import type { Scenario } from './cell.js';
import { loadProblems, rejectedBetween } from './load-scenarios.js';

/**
 * How long an instance is left alone after it accepts connections before its
 * idle RSS is read: long enough for start-up work that finishes after `listen`
 * (a pid file, timers), short enough to be "just started".
 */
export const IDLE_SETTLE_MS = 500;

/**
 * Process start to listening, and to the first 200 answered through it
 * (upstream TLS handshake included); then a second fresh instance, never
 * sent a request, gives the idle RSS a moment after it listens. Two instances
 * because waiting before the first request would move the first-200 figure.
 */
export const COLD_START_SCENARIO: Scenario = {
  name: 'cold-start',
  description: `process spawn → port accepting (listen) and → first 200 answered through it, ms; idle RSS ${IDLE_SETTLE_MS} ms after listening`,
  appliesTo: (target) => target !== 'direct',
  async run(context, target) {
    const start = target.startCold ?? target.start;
    const timed = await start(context.targetContext);
    let okAt: number;
    let peak: RssPeak | undefined;
    try {
      okAt = await firstOk(`${timed.url}${SECRET_PATH}`, timed.headers, 15_000);
      peak = timed.pid === undefined ? undefined : sampleRss(timed.pid).stop();
    } finally {
      await timed.stop();
    }
    // Started after the timed one is gone, so both see the same warm file cache and an idle core.
    const idle = await start(context.targetContext);
    let idleRssMiB: number | undefined;
    try {
      await sleep(IDLE_SETTLE_MS);
      idleRssMiB = idle.pid === undefined ? undefined : rssNowMiB(idle.pid);
    } finally {
      await idle.stop();
    }
    return {
      metrics: {
        ...(timed.listenMs === undefined ? {} : { listenMs: timed.listenMs }),
        ...(timed.spawnedAt === undefined ? {} : { firstOkMs: okAt - timed.spawnedAt }),
        ...(peak === undefined ? {} : { peakRssMiB: peak.peakMiB }),
        ...(idleRssMiB === undefined ? {} : { idleRssMiB }),
      },
      problems: [],
    };
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
