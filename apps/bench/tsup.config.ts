import { defineConfig } from 'tsup';

export default defineConfig({
  // The upstream and the proxy runner are separate programs: each runs in its own (pinned) process.
  entry: ['src/bench.ts', 'src/upstream-main.ts', 'src/proxy-runner.ts', 'src/soak.ts'],
  format: ['esm'],
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
});
