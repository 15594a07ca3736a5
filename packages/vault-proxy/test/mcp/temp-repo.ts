import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The developer's own git config (a global excludes file that already ignores
// .mcp.json, say) must not decide these tests.
process.env.GIT_CONFIG_GLOBAL = '/dev/null';
process.env.GIT_CONFIG_NOSYSTEM = '1';

/** A throw-away directory, optionally a git work tree. */
export interface TempDir {
  readonly path: string;
  git(...args: string[]): string;
  remove(): void;
}

/** Make a temp directory (a fresh git repository when `git` is true). */
export function tempDir(git: boolean): TempDir {
  const path = realpathSync(mkdtempSync(join(tmpdir(), 'vault-mcp-')));
  const run = (...args: string[]) => execFileSync('git', args, { cwd: path, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (git) run('-c', 'init.defaultBranch=main', 'init', '-q');
  return { path, git: run, remove: () => rmSync(path, { recursive: true, force: true }) };
}
