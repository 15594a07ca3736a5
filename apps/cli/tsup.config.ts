import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/vault-proxy.ts'],
  format: ['esm'],
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  // yargs is a tree of small modules; bundled, `vault-proxy start` reaches listening ~100 ms sooner
  // (cold start is a product target). The library stays external: it loads axios only on demand.
  noExternal: [/^@raxx\/cli-kit(\/|$)/, /^yargs(\/|$)/],
});
