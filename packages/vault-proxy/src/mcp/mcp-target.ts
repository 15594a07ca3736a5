import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { configInvalid, VaultProxyError } from '../errors.js';
import { operatorDirectory } from '../files/operator-directory.js';
import type { Env } from '../settings/env.js';
import { gitTopLevel } from './git-repo.js';
import { isMcpClient, MCP_CLIENTS, type McpClient, type McpClientLayout } from './mcp-client.js';

/** Environment as the MCP functions read it (the package's one `Env`). */
export type McpEnv = Env;

/** Where an MCP config lives: shared by enable, disable and check. */
export interface McpTargetOptions {
  /** Directory whose client config to manage, used as given (relative to `cwd`). Default: the git top level of `cwd` (or `cwd` outside a repository). */
  dir?: string;
  /**
   * Directory the command was typed in. Default: the operator's directory
   * (`INIT_CWD` when a package manager runs the command in its package's
   * folder, as `pnpm --filter … run` does; else `process.cwd()`).
   */
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
 * Resolve where a client's MCP config lives: `dir` (relative to the
 * directory the command was typed in), else the git top level of that
 * directory. Throws `CONFIG_INVALID` naming `dir`, `cwd` or `client`, with
 * the absolute path at fault, when they do not fit. @internal
 */
export async function resolveMcpTarget(options: McpTargetOptions = {}): Promise<McpTarget> {
  const env = options.env ?? process.env;
  const client = options.client ?? 'claude';
  if (!isMcpClient(client)) throw configInvalid('client', 'option', 'is not a known MCP client', 'Use claude, cursor or vscode.');
  const layout = MCP_CLIENTS[client];
  const typedIn = options.cwd === undefined ? operatorDirectory(env) : resolve(options.cwd);
  let root: string;
  if (options.dir !== undefined) {
    root = resolve(typedIn, options.dir);
    if (!(await isDirectory(root))) {
      throw configInvalid('dir', 'option', `is not an existing directory (${root})`, 'Point it at your repository root.');
    }
  } else {
    if (!(await isDirectory(typedIn))) {
      const hint = 'Run the command from your repository, or pass --dir.';
      if (options.cwd !== undefined) throw configInvalid('cwd', 'option', `is not an existing directory (${typedIn})`, hint);
      throw new VaultProxyError('CONFIG_INVALID', `The directory the command was typed in (${typedIn}) does not exist. ${hint}`, {
        details: { hint },
      });
    }
    root = (await gitTopLevel(typedIn)) ?? typedIn;
  }
  // git reports real paths; compare like with like.
  root = await realpath(root);
  const file = join(root, ...layout.relativePath.split('/'));
  const gitRoot = await gitTopLevel(root);
  const rel = gitRoot === undefined ? undefined : relative(gitRoot, file);
  const gitPath = rel === undefined || isAbsolute(rel) || rel.startsWith('..') ? undefined : rel.split(sep).join('/');
  return { client, layout, root, file, gitRoot: gitPath === undefined ? undefined : gitRoot, gitPath };
}
