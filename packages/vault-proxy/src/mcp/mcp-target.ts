import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { VaultProxyError } from '../errors.js';
import type { Env } from '../settings/env.js';
import { gitTopLevel } from './git-repo.js';
import { isMcpClient, MCP_CLIENTS, type McpClient, type McpClientLayout } from './mcp-client.js';

/** Environment as the MCP functions read it (the package's one `Env`). */
export type McpEnv = Env;

/** Where an MCP config lives: shared by enable, disable and check. */
export interface McpTargetOptions {
  /** Directory whose client config to manage, used as given. Default: the git top level of `cwd` (or `cwd` outside a repository). */
  dir?: string;
  /** Directory the command was started from. Default `INIT_CWD` (pnpm sets it to where you typed the command), else `process.cwd()`. */
  cwd?: string;
  /** MCP client whose file and shape to use. Default `claude` (`.mcp.json`). */
  client?: McpClient;
  /** Environment to read (`INIT_CWD`, `VAULT_PROXY_PORT`, …). Default `process.env`. */
  env?: McpEnv;
}

/** A resolved config location. */
export interface McpTarget {
  /** The client. */
  readonly client: McpClient;
  /** Its layout. */
  readonly layout: McpClientLayout;
  /** The directory the config belongs to (the repository root unless `dir` says otherwise). */
  readonly root: string;
  /** Absolute path of the config file. */
  readonly file: string;
  /** Top level of the git work tree holding the file, when there is one. */
  readonly gitRoot: string | undefined;
  /** The file's path relative to `gitRoot`, `/`-separated, when in a repository. */
  readonly gitPath: string | undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Resolve where a client's MCP config lives. Throws `CONFIG_INVALID` naming
 * `dir`, `cwd`/`INIT_CWD` or `client` when they do not fit. @internal
 */
export async function resolveMcpTarget(options: McpTargetOptions = {}): Promise<McpTarget> {
  const env = options.env ?? process.env;
  const client = options.client ?? 'claude';
  if (!isMcpClient(client)) {
    throw new VaultProxyError('CONFIG_INVALID', 'option `client` is not a known MCP client. Use claude, cursor or vscode.', {
      details: { field: 'client' },
    });
  }
  const layout = MCP_CLIENTS[client];
  let root: string;
  if (options.dir !== undefined) {
    root = resolve(options.dir);
    if (!(await isDirectory(root))) {
      throw new VaultProxyError('CONFIG_INVALID', 'option `dir` is not an existing directory. Point it at your repository root.', {
        details: { field: 'dir' },
      });
    }
  } else {
    const field = options.cwd !== undefined ? 'option `cwd`' : env.INIT_CWD ? 'INIT_CWD' : 'the current directory';
    const cwd = resolve(options.cwd ?? (env.INIT_CWD || process.cwd()));
    if (!(await isDirectory(cwd))) {
      throw new VaultProxyError('CONFIG_INVALID', `${field} is not an existing directory. Run from your repository or pass --dir.`, {
        details: { field },
      });
    }
    root = (await gitTopLevel(cwd)) ?? cwd;
  }
  // git reports real paths; compare like with like.
  root = await realpath(root);
  const file = join(root, ...layout.relativePath.split('/'));
  const gitRoot = await gitTopLevel(root);
  const rel = gitRoot === undefined ? undefined : relative(gitRoot, file);
  const gitPath = rel === undefined || isAbsolute(rel) || rel.startsWith('..') ? undefined : rel.split(sep).join('/');
  return { client, layout, root, file, gitRoot: gitPath === undefined ? undefined : gitRoot, gitPath };
}
