import { execFile } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** @internal */
interface GitRun {
  readonly code: number;
  readonly stdout: string;
}

function git(cwd: string, args: readonly string[]): Promise<GitRun> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, encoding: 'utf8', windowsHide: true }, (error, stdout) => {
      if (error === null) return resolve({ code: 0, stdout });
      // A missing git binary or an unreadable directory counts as "not a repository".
      const code = typeof error.code === 'number' ? error.code : 128;
      resolve({ code, stdout: stdout ?? '' });
    });
  });
}

/** The top level of the git work tree containing `dir`, or `undefined` outside one. @internal */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  const run = await git(dir, ['rev-parse', '--show-toplevel']);
  const top = run.stdout.trim();
  return run.code === 0 && top !== '' ? top : undefined;
}

/** Whether git tracks `relativePath` in the repository at `root`. @internal */
export async function isGitTracked(root: string, relativePath: string): Promise<boolean> {
  return (await git(root, ['ls-files', '--error-unmatch', '--', relativePath])).code === 0;
}

/** Whether git ignores `relativePath` in the repository at `root`. @internal */
export async function isGitIgnored(root: string, relativePath: string): Promise<boolean> {
  return (await git(root, ['check-ignore', '-q', '--', relativePath])).code === 0;
}

/** What {@link ensureGitIgnored} did. */
export type GitIgnoreOutcome = 'already-ignored' | 'added' | 'no-git-repo';

/**
 * Make sure git ignores `relativePath`: when it does not, append an anchored
 * pattern (`/.mcp.json`) to the repository's top-level `.gitignore`. @internal
 */
export async function ensureGitIgnored(root: string, relativePath: string): Promise<GitIgnoreOutcome> {
  if (await isGitIgnored(root, relativePath)) return 'already-ignored';
  const gitignore = join(root, '.gitignore');
  const current = await readFile(gitignore, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(gitignore, `${separator}/${relativePath}\n`, 'utf8');
  return 'added';
}
