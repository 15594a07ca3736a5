import { isDeepStrictEqual } from 'node:util';
import { VaultProxyError } from '../errors.js';
import { ensureGitIgnored, type GitIgnoreOutcome, isGitTracked } from './git-repo.js';
import type { McpClient } from './mcp-client.js';
import { getMcpEntry, otherMcpServers, parseMcpConfig } from './mcp-config.js';
import { setMcpEntryInText } from './mcp-config-edit.js';
import { configMode, readConfigText, writeConfigText } from './mcp-config-file.js';
import { MCP_SERVER_NAME, type McpServerEntry, referencedVariables } from './mcp-server-entry.js';
import { type EnableMcpOptions, expectedMcpEntry } from './mcp-settings.js';
import { type McpTarget, resolveMcpTarget } from './mcp-target.js';

/** Whether a variable the config references is set where the command ran (never its value). */
export interface McpVariableState {
  /** The variable. */
  readonly name: string;
  /** Whether it is set and non-empty. */
  readonly set: boolean;
}

/** What {@link enableMcp} did. */
export interface EnableMcpResult {
  /** The client written for. */
  readonly client: McpClient;
  /** Absolute path of the config file. */
  readonly file: string;
  /** The directory the config belongs to. */
  readonly root: string;
  /** `created` (no file before), `updated` (file rewritten) or `unchanged` (already current). */
  readonly action: 'created' | 'updated' | 'unchanged';
  /** Key of our entry in the server list. */
  readonly serverName: string;
  /** The entry as written. */
  readonly entry: McpServerEntry;
  /** Other servers found in the file and kept. */
  readonly otherServers: readonly string[];
  /** What happened to `.gitignore`; `no-git-repo` when the file is not inside a git work tree (nothing to ignore it with). */
  readonly gitignore: GitIgnoreOutcome;
  /** The variables the entry references, and whether each is set now. */
  readonly variables: readonly McpVariableState[];
}

/** @internal */
export function variableStates(names: readonly string[], env: Readonly<Record<string, string | undefined>>): McpVariableState[] {
  return [...new Set(names)].map((name) => ({ name, set: (env[name] ?? '') !== '' }));
}

/** Throws `MCP_CONFIG_TRACKED` when git tracks the config file: a session-local config must never be committed. @internal */
export async function refuseTracked(target: McpTarget): Promise<void> {
  if (target.gitRoot === undefined || target.gitPath === undefined) return;
  if (await isGitTracked(target.gitRoot, target.gitPath)) {
    const hint = `Untrack it (git rm --cached ${target.gitPath}) so a session-local config is never committed, then run again.`;
    throw new VaultProxyError('MCP_CONFIG_TRACKED', `${target.file} is tracked by git; refusing to write it. ${hint}`, {
      details: { file: target.file, hint },
    });
  }
}

/**
 * Write (or update) the Infisical MCP server entry into the client's
 * project config at the repository root, keeping everything else in the
 * file (other servers and keys, and a JSONC file's comments and trailing
 * commas). Resolve → validate (entry, existing file, git tracking) → make
 * sure git ignores the file → write atomically with mode 0600. Bad input or
 * a malformed/tracked file changes nothing.
 */
export async function enableMcp(options: EnableMcpOptions = {}): Promise<EnableMcpResult> {
  const env = options.env ?? process.env;
  const target = await resolveMcpTarget(options);
  const entry = expectedMcpEntry(options, target);
  const before = await readConfigText(target.file);
  const existing = before === undefined ? undefined : parseMcpConfig(before, target.client, target.file);
  await refuseTracked(target);

  // Ignore first: the file must never sit un-ignored in the work tree.
  const gitignore = target.gitRoot && target.gitPath ? await ensureGitIgnored(target.gitRoot, target.gitPath) : 'no-git-repo';
  const current = existing !== undefined && isDeepStrictEqual(getMcpEntry(existing, target.client), entry);
  const unchanged = current && (await configMode(target.file)) === 0o600;
  if (!unchanged)
    await writeConfigText(target.file, current ? (before as string) : setMcpEntryInText(before, entry, target.client, target.file));

  return {
    client: target.client,
    file: target.file,
    root: target.root,
    action: before === undefined ? 'created' : unchanged ? 'unchanged' : 'updated',
    serverName: MCP_SERVER_NAME,
    entry,
    otherServers: existing === undefined ? [] : otherMcpServers(existing, target.client),
    gitignore,
    variables: variableStates(referencedVariables(entry), env),
  };
}
