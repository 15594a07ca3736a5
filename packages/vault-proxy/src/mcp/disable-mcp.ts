import type { McpClient } from './mcp-client.js';
import { formatMcpConfig, otherMcpServers, parseMcpConfig, removeMcpEntry } from './mcp-config.js';
import { deleteConfigFile, readConfigText, writeConfigText } from './mcp-config-file.js';
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
}

/**
 * Remove only the Infisical entry from the client's config; delete the file
 * when nothing else is left. A malformed file is reported
 * (`MCP_CONFIG_MALFORMED`) and left untouched.
 */
export async function disableMcp(options: DisableMcpOptions = {}): Promise<DisableMcpResult> {
  const target = await resolveMcpTarget(options);
  const base = { client: target.client, file: target.file };
  const text = await readConfigText(target.file);
  if (text === undefined) return { ...base, action: 'no-file', otherServers: [] };
  const config = parseMcpConfig(text, target.client, target.file);
  const { config: rest, removed, empty } = removeMcpEntry(config, target.client);
  const otherServers = otherMcpServers(rest, target.client);
  if (!removed) return { ...base, action: 'no-entry', otherServers };
  if (empty) {
    await deleteConfigFile(target.file);
    return { ...base, action: 'removed-file', otherServers };
  }
  await writeConfigText(target.file, formatMcpConfig(rest));
  return { ...base, action: 'removed-entry', otherServers };
}
