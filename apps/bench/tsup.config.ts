import { defineConfig } from 'tsup';

export default defineConfig({
  // The upstream and the proxy runner are separate programs: each runs in its own (pinned) process.
  // The ceiling forwarder is a probe for --proxy-module (BENCHMARKS.md §Reproduce, the ceiling probe).
  entry: ['src/bench.ts', 'src/upstream-main.ts', 'src/proxy-runner.ts', 'src/soak.ts', 'src/ceiling/ceiling-forwarder.ts'],
  format: ['esm'],
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
});
