import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/enable-vault-mcp.ts'],
  format: ['esm'],
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
});
