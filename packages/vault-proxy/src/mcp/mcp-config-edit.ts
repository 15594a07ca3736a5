import { applyEdits, type FormattingOptions, modify, visit } from 'jsonc-parser';
import { MCP_CLIENTS, type McpClient } from './mcp-client.js';
import { formatMcpConfig, mergeMcpConfig, parseMcpConfig, removeMcpEntry } from './mcp-config.js';
import { MCP_SERVER_NAME, type McpServerEntry } from './mcp-server-entry.js';

/** What {@link removeMcpEntryFromText} produced. */
export interface RemoveMcpEntryTextResult {
  /** The text without our entry (the input when nothing was removed). */
  readonly text: string;
  /** Whether our entry was there. */
  readonly removed: boolean;
  /** Whether nothing is left worth keeping: no server, no other key, no comment (the file can go). */
  readonly empty: boolean;
}

/** The indentation and line ends of `text`, so an edit looks like the rest of the file. */
function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent === undefined ? 2 : indent.length, eol };
}

/** Whether `text` holds a comment (someone wrote it by hand: deleting the file would lose it). */
function hasComments(text: string): boolean {
  let found = false;
  visit(text, {
    onComment: () => {
      found = true;
    },
  });
  return found;
}

/**
 * `text` (a client's config file, or `undefined` for none) with our entry set
 * to `entry`. The edit touches only our entry: other servers, keys,
 * comments, trailing commas and formatting stay as they are (the
 * `jsonc-parser` edit VS Code itself uses). A missing or empty file becomes
 * two-space JSON. Throws `MCP_CONFIG_MALFORMED` (see {@link parseMcpConfig}).
 */
export function setMcpEntryInText(text: string | undefined, entry: McpServerEntry, client: McpClient = 'claude', file?: string): string {
  if (text === undefined || text.trim() === '') return formatMcpConfig(mergeMcpConfig(undefined, entry, client));
  parseMcpConfig(text, client, file);
  const path = [MCP_CLIENTS[client].serversKey, MCP_SERVER_NAME];
  return applyEdits(text, modify(text, path, entry, { formattingOptions: formattingOf(text) }));
}

/**
 * `text` without our entry, touching nothing else (comments and trailing
 * commas included), and whether anything is left worth keeping. Throws
 * `MCP_CONFIG_MALFORMED` (see {@link parseMcpConfig}).
 */
export function removeMcpEntryFromText(text: string, client: McpClient = 'claude', file?: string): RemoveMcpEntryTextResult {
  const { removed, empty } = removeMcpEntry(parseMcpConfig(text, client, file), client);
  if (!removed) return { text, removed, empty: false };
  const path = [MCP_CLIENTS[client].serversKey, MCP_SERVER_NAME];
  const next = applyEdits(text, modify(text, path, undefined, { formattingOptions: formattingOf(text) }));
  return { text: next, removed, empty: empty && !hasComments(next) };
}
