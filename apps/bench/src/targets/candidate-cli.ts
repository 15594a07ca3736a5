import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

/**
 * A copy of the built CLI (`apps/cli/dist` and its package.json) under
 * `scratch`, beside a `node_modules/@raxx/vault-proxy` link to the candidate
 * package: the same `vault-proxy start` file the proxy's cold start runs, so
 * the two cold starts differ only in the library behind them.
 * Returns the copied CLI script.
 */
export function candidateCli(cli: string, packageDir: string, scratch: string): string {
  const root = join(scratch, 'candidate-cli');
  const cliRoot = dirname(dirname(cli));
  cpSync(dirname(cli), join(root, 'dist'), { recursive: true });
  // The CLI reads its version from ../package.json, and "type": "module" makes its .js files ESM.
  cpSync(join(cliRoot, 'package.json'), join(root, 'package.json'));
  mkdirSync(join(root, 'node_modules', '@raxx'), { recursive: true });
  symlinkSync(packageDir, join(root, 'node_modules', '@raxx', 'vault-proxy'), 'dir');
  return join(root, 'dist', 'vault-proxy.js');
}
