import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ProxyBuild } from './proxy.js';
import { checkoutCli, libraryPackageOf, worktreeCli } from './worktree-cli.js';

const RUNNER = 'the bench runner (dist/proxy-runner.js)';

/** The installed `@raxx/vault-proxy`: the `proxy` target. */
export function installedBuild(): ProxyBuild {
  const cli = checkoutCli();
  return {
    name: 'proxy',
    module: undefined,
    cli,
    coldLauncher: cli === undefined ? `${RUNNER}; apps/cli not built` : `vault-proxy start (apps/cli/dist/${basename(cli)})`,
    version: `@raxx/vault-proxy on node ${process.version}`,
  };
}

function packageVersion(dir: string): string | undefined {
  try {
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A candidate build (`--proxy-module FILE`): the `candidate` target. Its cold
 * start goes through the CLI built in the candidate's own worktree when FILE
 * is the entry of a whole `@raxx/vault-proxy` package there; otherwise (a lone
 * file, or no built CLI beside it) it can only run under the bench runner.
 */
export function candidateBuild(module: string): ProxyBuild {
  const packageDir = libraryPackageOf(module);
  const version = packageDir === undefined ? undefined : packageVersion(packageDir);
  const base = {
    name: 'candidate' as const,
    module,
    version: `${module}${version === undefined ? '' : ` (@raxx/vault-proxy ${version})`} on node ${process.version}`,
  };
  if (packageDir === undefined) {
    return { ...base, cli: undefined, coldLauncher: `${RUNNER}; the file is not the entry of a @raxx/vault-proxy package` };
  }
  const cli = worktreeCli(packageDir);
  if (cli === undefined) return { ...base, cli: undefined, coldLauncher: `${RUNNER}; no apps/cli/dist beside ${packageDir}` };
  return { ...base, cli, coldLauncher: `vault-proxy start (${cli}, the candidate worktree's CLI)` };
}
