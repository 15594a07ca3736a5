import { defineConfig } from 'vitest/config';

/**
 * One project per workspace package; each runs its own `test/**` (turbo runs them per package with
 * `--project`), and `vitest bench` its `bench/**` micro-benchmarks (`pnpm bench:micro`; never part of a test run).
 */
function project(name: string, dir: string) {
  return {
    extends: true as const,
    root: `./${dir}`,
    test: { name, include: ['test/**/*.test.ts'], benchmark: { include: ['bench/**/*.bench.ts'] } },
  };
}

export default defineConfig({
  test: {
    // Vitest's defaults hold everywhere; a test that needs longer (a real process, a real server, a deadline) says so itself.
    projects: [
      project('vault-proxy', 'packages/vault-proxy'),
      project('testkit', 'packages/testkit'),
      project('cli-kit', 'packages/cli-kit'),
      project('cli', 'apps/cli'),
      project('provision', 'apps/provision'),
      project('enable-mcp', 'apps/enable-mcp'),
      project('bench', 'apps/bench'),
    ],
  },
});
