import { isDeepStrictEqual } from 'node:util';
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { VaultProxyError } from '../errors.js';
import { MCP_CLIENTS, type McpClient } from './mcp-client.js';
import { MCP_SERVER_NAME, type McpServerEntry } from './mcp-server-entry.js';

/** A client's MCP config file, parsed: a JSON object whose other keys we keep as they are. */
export type McpConfig = Readonly<Record<string, unknown>>;

/** What {@link removeMcpEntry} produced. */
export interface RemoveMcpEntryResult {
  /** The config without our entry (the input when nothing was removed). */
  readonly config: McpConfig;
  /** Whether our entry was there. */
  readonly removed: boolean;
  /** Whether nothing is left: no server and no other key (the file can go). */
  readonly empty: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(problem: string, file: string | undefined, at?: { line: number; column: number }): VaultProxyError {
  const where = file === undefined ? 'The MCP config' : `The MCP config ${file}`;
  const hint = 'Fix or move the file by hand; it was left untouched.';
  return new VaultProxyError('MCP_CONFIG_MALFORMED', `${where} ${problem}. ${hint}`, {
    details: { ...(file ? { file } : {}), ...(at ?? {}), hint },
  });
}

/** 1-based line and column of `offset` in `text`, as editors show them. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** `CommaExpected` → `comma expected`. */
function errorWords(error: ParseError): string {
  return printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

function serversOf(config: McpConfig, client: McpClient, file?: string): Record<string, unknown> | undefined {
  const key = MCP_CLIENTS[client].serversKey;
  const servers = config[key];
  if (servers === undefined) return undefined;
  if (!isPlainObject(servers)) throw malformed(`has a "${key}" that is not an object`, file);
  return servers;
}

/**
 * Parse a config file's text. An empty file counts as `{}`. Cursor's and VS
 * Code's files are JSONC (comments and trailing commas allowed, as those
 * clients read them); Claude Code's is strict JSON. Throws
 * `MCP_CONFIG_MALFORMED` naming `file` and the line and column of the first
 * syntax error, or saying the text is not an object or its server list is not one.
 */
export function parseMcpConfig(text: string, client: McpClient = 'claude', file?: string): McpConfig {
  if (text.trim() === '') return {};
  const { jsonc } = MCP_CLIENTS[client];
  const errors: ParseError[] = [];
  const parsed: unknown = parse(text, errors, { allowTrailingComma: jsonc, disallowComments: !jsonc, allowEmptyContent: true });
  const first = errors[0];
  if (first !== undefined) {
    const at = lineAndColumn(text, first.offset);
    const syntax = jsonc ? 'JSON with comments' : 'JSON (Claude Code reads it without comments or trailing commas)';
    throw malformed(`is not valid ${syntax}: ${errorWords(first)} at line ${at.line}, column ${at.column}`, file, at);
  }
  if (!isPlainObject(parsed)) throw malformed('is not a JSON object', file);
  serversOf(parsed, client, file);
  return parsed;
}

/** Our entry in `config` (`undefined` when absent), unvalidated. */
export function getMcpEntry(config: McpConfig, client: McpClient = 'claude', name: string = MCP_SERVER_NAME): unknown {
  return serversOf(config, client)?.[name];
}

/**
 * `existing` with our entry set to `entry`: every other server and key is
 * kept in its place. Pure.
 */
export function mergeMcpConfig(
  existing: McpConfig | undefined,
  entry: McpServerEntry,
  client: McpClient = 'claude',
  name: string = MCP_SERVER_NAME,
): McpConfig {
  const base = existing ?? {};
  const key = MCP_CLIENTS[client].serversKey;
  const servers = serversOf(base, client) ?? {};
  return { ...base, [key]: { ...servers, [name]: entry } };
}

/** `existing` without our entry, and whether anything is left. Pure. */
export function removeMcpEntry(existing: McpConfig, client: McpClient = 'claude', name: string = MCP_SERVER_NAME): RemoveMcpEntryResult {
  const key = MCP_CLIENTS[client].serversKey;
  const servers = serversOf(existing, client);
  const removed = servers !== undefined && Object.hasOwn(servers, name);
  let config: McpConfig = existing;
  if (servers !== undefined && removed) {
    const { [name]: _dropped, ...rest } = servers;
    config = { ...existing, [key]: rest };
  }
  const left = serversOf(config, client) ?? {};
  const otherKeys = Object.keys(config).filter((k) => k !== key);
  return { config, removed, empty: Object.keys(left).length === 0 && otherKeys.length === 0 };
}

/** Names of the servers in `config` other than ours. */
export function otherMcpServers(config: McpConfig, client: McpClient = 'claude', name: string = MCP_SERVER_NAME): string[] {
  return Object.keys(serversOf(config, client) ?? {}).filter((n) => n !== name);
}

/**
 * Where `actual` differs from `expected`, as key paths (`command`,
 * `env.INFISICAL_HOST_URL`); empty when they match. Only names, never values.
 */
export function diffMcpEntry(actual: unknown, expected: McpServerEntry): string[] {
  if (!isPlainObject(actual)) return ['(entry)'];
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  const diff: string[] = [];
  for (const key of keys) {
    const a = actual[key];
    const e = (expected as unknown as Record<string, unknown>)[key];
    if (key === 'env' && isPlainObject(a) && isPlainObject(e)) {
      for (const v of new Set([...Object.keys(a), ...Object.keys(e)])) if (a[v] !== e[v]) diff.push(`env.${v}`);
    } else if (!isDeepStrictEqual(a, e)) {
      diff.push(key);
    }
  }
  return diff;
}

/** The text written for a config: two-space JSON and a final newline. */
export function formatMcpConfig(config: McpConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
