import type { McpClient } from './mcp-client.js';
import { otherMcpServers, parseMcpConfig } from './mcp-config.js';
import { removeMcpEntryFromText } from './mcp-config-edit.js';
import { deleteConfigFile, readConfigText, removeEmptyConfigDir, writeConfigText } from './mcp-config-file.js';
import { type McpTargetOptions, resolveMcpTarget } from './mcp-target.js';

/** Options of {@link disableMcp}: which config to clean up. */
export type DisableMcpOptions = McpTargetOptions;

/** What {@link disableMcp} did. */
export interface DisableMcpResult {
  /** The client. */
  readonly client: McpClient;
  /** Absolute path of the config file. */
  readonly file: string;
  /**
   * `removed-file` (our entry was the only content), `removed-entry` (other
   * servers or keys kept), `no-entry` (file without our entry, untouched),
   * `no-file` (nothing to do).
   */
  readonly action: 'removed-file' | 'removed-entry' | 'no-entry' | 'no-file';
  /** Servers left in the file. */
  readonly otherServers: readonly string[];
  /** The client's folder (`.cursor/`, `.vscode/`), when it was left empty and removed with the file. */
  readonly removedDir?: string;
}

/**
 * Remove only the Infisical entry from the client's config, touching nothing
 * else (comments and trailing commas of a JSONC file included); delete the
 * file when nothing else is left, and its client folder (`.cursor/`,
 * `.vscode/`) when that is then empty. A malformed file is reported
 * (`MCP_CONFIG_MALFORMED`, with line and column) and left untouched.
 */
export async function disableMcp(options: DisableMcpOptions = {}): Promise<DisableMcpResult> {
  const target = await resolveMcpTarget(options);
  const base = { client: target.client, file: target.file };
  const text = await readConfigText(target.file);
  if (text === undefined) return { ...base, action: 'no-file', otherServers: [] };
  const edit = removeMcpEntryFromText(text, target.client, target.file);
  const otherServers = otherMcpServers(parseMcpConfig(edit.text, target.client, target.file), target.client);
  if (!edit.removed) return { ...base, action: 'no-entry', otherServers };
  if (edit.empty) {
    await deleteConfigFile(target.file);
    const removedDir = await removeEmptyConfigDir(target.file, target.root);
    return { ...base, action: 'removed-file', otherServers, ...(removedDir === undefined ? {} : { removedDir }) };
  }
  await writeConfigText(target.file, edit.text);
  return { ...base, action: 'removed-entry', otherServers };
}
