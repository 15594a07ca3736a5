import { isVaultProxyError } from '../errors.js';
import type { McpClient } from './mcp-client.js';
import { getMcpEntry, parseMcpConfig } from './mcp-config.js';
import { readConfigText } from './mcp-config-file.js';
import { type McpTargetOptions, resolveMcpTarget } from './mcp-target.js';

/** What a client's MCP config holds for the Infisical server, read without changing anything. */
export interface McpEntryReading {
  readonly client: McpClient;
  /** Absolute path of the config file. */
  readonly file: string;
  /** `found`, or why there is no entry to look at. */
  readonly state: 'found' | 'missing-file' | 'malformed' | 'missing-entry';
  /** The entry as written (only when `found`). */
  readonly entry?: unknown;
  /** What is wrong with the file, with the line and column of a syntax error (only when `malformed`). */
  readonly problem?: string;
}

/**
 * Read the Infisical entry of a client's MCP config (for `check`, the doctor
 * and emergency stop). Never throws for a missing or malformed file: it says so.
 */
export async function readMcpEntry(options: McpTargetOptions = {}): Promise<McpEntryReading> {
  const target = await resolveMcpTarget(options);
  const base = { client: target.client, file: target.file };
  const text = await readConfigText(target.file).catch(() => undefined);
  if (text === undefined) return { ...base, state: 'missing-file' };
  let entry: unknown;
  try {
    entry = getMcpEntry(parseMcpConfig(text, target.client, target.file), target.client);
  } catch (error) {
    const problem = isVaultProxyError(error, 'MCP_CONFIG_MALFORMED') ? error.message : undefined;
    return { ...base, state: 'malformed', ...(problem === undefined ? {} : { problem }) };
  }
  return entry === undefined ? { ...base, state: 'missing-entry' } : { ...base, state: 'found', entry };
}
