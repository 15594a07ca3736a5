import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

// Two CommonJS programs with the library compiled in from its source (BENCHMARKS.md, step 13):
// - vault-proxy.cjs: the bin, and all `vault-proxy start` loads: only the code it runs (tree-shaken), and
//   no ES-module loader or package resolution at run time. That is what keeps the idle proxy under 48 MiB.
// - cli.cjs: every other command, with yargs bundled (its tree of small modules costs ~100 ms to load);
//   the bin loads it on demand.
// No code splitting: tsup's CommonJS splitting cannot convert yargs' `export { Yargs as 'module.exports' }`.
// The library's own npm dependencies (axios, jsonc-parser) stay external, declared in package.json.
export default defineConfig({
  entry: ['src/vault-proxy.ts', 'src/cli.ts'],
  format: ['cjs'],
  splitting: false,
  shims: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  noExternal: [/^@raxx\/(cli-kit|vault-proxy)(\/|$)/, /^yargs(\/|$)/],
  esbuildOptions(options) {
    // Subpaths follow: `@raxx/vault-proxy/process` → `src/process`.
    options.alias = { '@raxx/vault-proxy': fileURLToPath(new URL('../../packages/vault-proxy/src', import.meta.url)) };
    // tsup shims `import.meta.url` in CommonJS but not this (yargs' `extends` in config files, which the CLI never reads).
    options.define = { ...options.define, 'import.meta.resolve': 'require.resolve' };
  },
  esbuildPlugins: [
    {
      // The bin's `import('./cli.js')` stays a load of the separate program, not a second copy inside the bin.
      name: 'cli-on-demand',
      setup(build) {
        build.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: './cli.cjs', external: true }));
      },
    },
  ],
});
