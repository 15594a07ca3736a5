import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIBRARY = '@raxx/vault-proxy';

/** The file an `exports["."]` entry sends an ESM `import` to, if it names one. */
function importEntry(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const record = entry as Record<string, unknown>;
  return importEntry(record.import) ?? importEntry(record.default);
}

function realpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

/**
 * The directory of the `@raxx/vault-proxy` package whose main ESM entry is
 * `module` (e.g. `packages/vault-proxy` of another worktree for its
 * `dist/index.js`), or `undefined` when `module` is not such an entry (a
 * lone probe file). Only a whole package can stand behind the CLI, which
 * also imports the library's subpaths (`/process`, `/settings`, …).
 */
export function libraryPackageOf(module: string): string | undefined {
  const target = realpath(module);
  let dir = dirname(target);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      let pkg: { name?: unknown; exports?: unknown; module?: unknown };
      try {
        pkg = JSON.parse(readFileSync(manifest, 'utf8')) as typeof pkg;
      } catch {
        return undefined;
      }
      if (pkg.name !== LIBRARY) return undefined;
      const dot = typeof pkg.exports === 'object' && pkg.exports !== null ? (pkg.exports as Record<string, unknown>)['.'] : pkg.exports;
      const entry = importEntry(dot) ?? (typeof pkg.module === 'string' ? pkg.module : undefined);
      return entry !== undefined && realpath(join(dir, entry)) === target ? dir : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The CLI's script in `apps/cli/dist`: CommonJS since BENCHMARKS.md step 13, an ES module before. */
const CLI_SCRIPTS = ['vault-proxy.cjs', 'vault-proxy.js'];

/**
 * The `vault-proxy` CLI built in the same worktree as a library package
 * (`<worktree>/apps/cli/dist`, the package being `<worktree>/packages/vault-proxy`),
 * or `undefined` when that worktree has no built CLI. The CLI compiles the
 * library in (apps/cli/tsup.config.ts), so a candidate's cold start runs its own
 * worktree's CLI: this checkout's CLI cannot be pointed at another library.
 */
export function worktreeCli(packageDir: string): string | undefined {
  const dist = join(packageDir, '..', '..', 'apps', 'cli', 'dist');
  return CLI_SCRIPTS.map((script) => join(dist, script)).find((file) => existsSync(file));
}

/**
 * The `vault-proxy` CLI built in this checkout (what production runs), or
 * `undefined` when `apps/cli` is not built. Found from the bench's own
 * package (the nearest package.json above this module), so it is the same
 * from `src/targets/` under vitest and from the bundles in `dist/`.
 */
export function checkoutCli(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return worktreeCli(join(dir, '..', '..', 'packages', 'vault-proxy'));
}
