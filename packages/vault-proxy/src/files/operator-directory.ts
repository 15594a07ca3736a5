import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Env } from '../settings/env.js';

function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

/**
 * The directory the operator typed the command in: where a relative
 * `--manifest`, `--env-file`, `--pid-file` or `--dir` is taken from, and
 * whose repository an MCP config belongs to.
 *
 * A package manager runs a package's script in the package's own folder
 * (`pnpm --filter cli run stop` runs in `apps/cli`) and records where it was
 * typed in `INIT_CWD`, so `INIT_CWD` wins over the working directory. Except
 * when it is stale: a bin started in another directory by a script's child
 * inherits `INIT_CWD` and `npm_package_json`, and then runs outside that
 * package's folder; its own working directory is where it was started.
 */
export function operatorDirectory(env: Env = process.env, cwd: string = process.cwd()): string {
  const init = env.INIT_CWD?.trim();
  const packageJson = env.npm_package_json?.trim();
  const inherited = packageJson !== undefined && packageJson !== '' && real(dirname(packageJson)) !== real(cwd);
  return init && !inherited ? resolve(init) : resolve(cwd);
}

/** `path` made absolute against the operator's directory ({@link operatorDirectory}); an absolute path stays as it is. */
export function resolveOperatorPath(path: string, env: Env = process.env, cwd: string = process.cwd()): string {
  return resolve(operatorDirectory(env, cwd), path);
}
