/**
 * The MCP clients `enableMcp` can write for. Each keeps its project-level
 * config in its own file, under its own key, with its own syntax for
 * environment references.
 */
export type McpClient = 'claude' | 'cursor' | 'vscode';

/** Where and how one MCP client keeps its project-level server list. */
export interface McpClientLayout {
  /** The client. */
  readonly client: McpClient;
  /** Human name, for printing. */
  readonly title: string;
  /** Config file path relative to the repository root, `/`-separated. */
  readonly relativePath: string;
  /** The top-level key that holds the servers. */
  readonly serversKey: 'mcpServers' | 'servers';
  /** Whether a stdio entry carries `type: 'stdio'`. */
  readonly stdioType: boolean;
  /** Whether the client reads its file as JSON with comments and trailing commas (kept when we edit it). */
  readonly jsonc: boolean;
  /** Builds the client's reference to an environment variable. */
  readonly reference: (name: string) => string;
}

/**
 * The layout of each supported client.
 *
 * Claude Code expands `${VAR}` in `.mcp.json`; Cursor and VS Code only
 * expand `${env:VAR}` (a `${VAR}` would reach the server as literal text).
 * Claude Code's own `claude mcp add` writes `type: 'stdio'`, so we do too,
 * to avoid churn when both touch the file. Cursor and VS Code read their
 * files as JSONC (comments, trailing commas); Claude Code reads strict JSON.
 */
export const MCP_CLIENTS: Readonly<Record<McpClient, McpClientLayout>> = {
  claude: {
    client: 'claude',
    title: 'Claude Code',
    relativePath: '.mcp.json',
    serversKey: 'mcpServers',
    stdioType: true,
    jsonc: false,
    reference: (name) => `\${${name}}`,
  },
  cursor: {
    client: 'cursor',
    title: 'Cursor',
    relativePath: '.cursor/mcp.json',
    serversKey: 'mcpServers',
    stdioType: false,
    jsonc: true,
    reference: (name) => `\${env:${name}}`,
  },
  vscode: {
    client: 'vscode',
    title: 'VS Code',
    relativePath: '.vscode/mcp.json',
    serversKey: 'servers',
    stdioType: true,
    jsonc: true,
    reference: (name) => `\${env:${name}}`,
  },
};

/** Every supported client, default first. */
export const MCP_CLIENT_NAMES: readonly McpClient[] = ['claude', 'cursor', 'vscode'];

/** Whether `value` names a supported client. */
export function isMcpClient(value: unknown): value is McpClient {
  return typeof value === 'string' && (MCP_CLIENT_NAMES as readonly string[]).includes(value);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The variable named by a reference in any supported syntax (`${VAR}` or
 * `${env:VAR}`), or `undefined` when `text` is not exactly one reference.
 */
export function parseEnvReference(text: string): string | undefined {
  const match = /^\$\{(?:env:)?([^}:]+)\}$/.exec(text.trim());
  const name = match?.[1];
  return name !== undefined && ENV_NAME.test(name) ? name : undefined;
}

/** Whether `name` is a valid environment variable name. */
export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}
