import { configInvalid, VaultProxyError } from '../errors.js';
import { DEFAULT_PORT } from '../settings/settings-table.js';
import { literalSecretKind } from './literal-secret.js';
import { isMcpClient, MCP_CLIENTS, type McpClient, parseEnvReference } from './mcp-client.js';

/** The pinned Infisical MCP server package the entry launches. */
export const INFISICAL_MCP_PACKAGE = '@infisical/mcp@0.0.24';

/** The key of our entry in the client's server list. */
export const MCP_SERVER_NAME = 'infisical';

/** Variable that holds the MCP identity's universal-auth client id. */
export const MCP_CLIENT_ID_VAR = 'INFISICAL_MCP_CLIENT_ID';

/** Variable that holds the MCP identity's universal-auth client secret. */
export const MCP_CLIENT_SECRET_VAR = 'INFISICAL_MCP_CLIENT_SECRET';

/** Every tool `@infisical/mcp` 0.0.24 knows (`INFISICAL_ENABLED_TOOLS`). */
export const INFISICAL_MCP_TOOLS = [
  'get-secret',
  'list-secrets',
  'list-projects',
  'create-secret',
  'update-secret',
  'delete-secret',
  'create-folder',
  'create-environment',
  'create-project',
  'invite-members-to-project',
] as const;

/** One tool of the Infisical MCP server. */
export type InfisicalMcpTool = (typeof INFISICAL_MCP_TOOLS)[number];

/** Tools that only read. Anything else changes the vault and needs `allowWriteTools`. */
export const READ_ONLY_MCP_TOOLS: readonly InfisicalMcpTool[] = ['get-secret', 'list-secrets', 'list-projects'];

/** Tools enabled unless `tools` says otherwise: read secrets, nothing more. */
export const DEFAULT_MCP_TOOLS: readonly InfisicalMcpTool[] = ['get-secret', 'list-secrets'];

/** Default proxy port the entry points at (`VAULT_PROXY_PORT`; the settings table's default). */
export const DEFAULT_PROXY_PORT = DEFAULT_PORT;

/** Options of {@link buildMcpServerEntry}. */
export interface McpServerEntryOptions {
  /** Which client's shape and reference syntax to use. Default `claude`. */
  client?: McpClient;
  /** Port of the local proxy; the entry's `INFISICAL_HOST_URL` is `http://127.0.0.1:<port>`. Default `2019`. */
  port?: number;
  /** npm package spec launched with `npx -y`. Default {@link INFISICAL_MCP_PACKAGE}. */
  packageSpec?: string;
  /** Tools to enable. Default {@link DEFAULT_MCP_TOOLS}. */
  tools?: readonly string[];
  /** Allow tools that write (create/update/delete…). Default `false`. */
  allowWriteTools?: boolean;
  /** Reference to the client id, `${VAR}` (or `${env:VAR}`). Default `${INFISICAL_MCP_CLIENT_ID}`. Literal values are refused. */
  clientIdRef?: string;
  /** Reference to the client secret, `${VAR}` (or `${env:VAR}`). Default `${INFISICAL_MCP_CLIENT_SECRET}`. Literal values are refused. */
  clientSecretRef?: string;
}

/** A stdio MCP server entry as written into the client's config. */
export interface McpServerEntry {
  /** Transport, for clients that spell it out. */
  readonly type?: 'stdio';
  /** Program to run. */
  readonly command: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Environment given to the server; credentials are references, never values. */
  readonly env: Readonly<Record<string, string>>;
}

/** The validated inputs of an entry. */
interface ResolvedEntryOptions {
  readonly client: McpClient;
  readonly port: number;
  readonly packageSpec: string;
  readonly tools: readonly InfisicalMcpTool[];
  readonly clientIdVar: string;
  readonly clientSecretVar: string;
}

const PACKAGE_SPEC = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(@[A-Za-z0-9._~^<>=*+-]+)?$/;

/**
 * An `MCP_CONFIG_REFUSED` error for one option, shaped like `configInvalid`'s
 * (`field`, `source`, `problem`, `hint`) so a CLI names the flag the user
 * typed instead of the library option.
 */
function refused(field: string, problem: string, hint: string): VaultProxyError {
  return new VaultProxyError('MCP_CONFIG_REFUSED', `option \`${field}\` ${problem}. ${hint}`, {
    details: { field, source: 'option', problem, hint },
  });
}

/** The variable a credential reference names; a literal (or anything else) is refused, suggesting `fallback`'s reference. */
function referenceVar(field: 'clientIdRef' | 'clientSecretRef', value: string, fallback: string): string {
  const name = parseEnvReference(value);
  if (name !== undefined) return name;
  const kind = literalSecretKind(value);
  const looks = kind === undefined ? 'is not an environment reference' : `looks like a literal secret (${kind})`;
  const hint = `Write a reference such as \${${fallback}}; the MCP client fills in the value at launch.`;
  throw refused(field, `${looks}; credentials are never written into an MCP config`, hint);
}

function resolveEntryOptions(options: McpServerEntryOptions): ResolvedEntryOptions {
  const client = options.client ?? 'claude';
  if (!isMcpClient(client)) throw configInvalid('client', 'option', 'is not a known MCP client', 'Use claude, cursor or vscode.');
  const port = options.port ?? DEFAULT_PROXY_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw configInvalid('port', 'option', 'must be an integer from 1 to 65535', 'Use the port the proxy listens on.');
  const packageSpec = (options.packageSpec ?? INFISICAL_MCP_PACKAGE).trim();
  if (!PACKAGE_SPEC.test(packageSpec))
    throw configInvalid('packageSpec', 'option', 'is not an npm package spec', `Use name@version, for example ${INFISICAL_MCP_PACKAGE}.`);
  const requested = [...new Set((options.tools ?? DEFAULT_MCP_TOOLS).map((t) => t.trim()).filter(Boolean))];
  if (requested.length === 0)
    throw configInvalid('tools', 'option', 'lists no tool', `Name at least one, for example ${DEFAULT_MCP_TOOLS.join(',')}.`);
  const unknown = requested.filter((t) => !(INFISICAL_MCP_TOOLS as readonly string[]).includes(t));
  if (unknown.length > 0)
    throw configInvalid(
      'tools',
      'option',
      `names unknown tools (${unknown.join(', ')})`,
      `Known tools: ${INFISICAL_MCP_TOOLS.join(', ')}.`,
    );
  const tools = requested as InfisicalMcpTool[];
  const writing = tools.filter((t) => !READ_ONLY_MCP_TOOLS.includes(t));
  if (writing.length > 0 && options.allowWriteTools !== true) {
    // Named after the switch the user has to flip: the tools themselves are fine once it is set.
    throw refused(
      'allowWriteTools',
      `must be set to enable tools that change the vault (${writing.join(', ')})`,
      `Set it only if the agent really must write; otherwise keep to ${READ_ONLY_MCP_TOOLS.join(', ')}.`,
    );
  }
  return {
    client,
    port,
    packageSpec,
    tools,
    clientIdVar: referenceVar('clientIdRef', options.clientIdRef ?? `\${${MCP_CLIENT_ID_VAR}}`, MCP_CLIENT_ID_VAR),
    clientSecretVar: referenceVar('clientSecretRef', options.clientSecretRef ?? `\${${MCP_CLIENT_SECRET_VAR}}`, MCP_CLIENT_SECRET_VAR),
  };
}

/**
 * The server entry that launches the Infisical MCP server against the local
 * proxy, in `client`'s shape. Pure; throws `CONFIG_INVALID` for bad input and
 * `MCP_CONFIG_REFUSED` for anything that would put a secret into the file or
 * enable write tools unasked.
 */
export function buildMcpServerEntry(options: McpServerEntryOptions = {}): McpServerEntry {
  const o = resolveEntryOptions(options);
  const layout = MCP_CLIENTS[o.client];
  const body = {
    command: 'npx',
    args: ['-y', o.packageSpec],
    env: {
      INFISICAL_HOST_URL: `http://127.0.0.1:${o.port}`,
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: layout.reference(o.clientIdVar),
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: layout.reference(o.clientSecretVar),
      INFISICAL_ENABLED_TOOLS: o.tools.join(','),
    },
  };
  return layout.stdioType ? { type: 'stdio', ...body } : body;
}

/** The environment variables an entry references (names only). */
export function referencedVariables(entry: McpServerEntry): string[] {
  return Object.values(entry.env)
    .map((v) => parseEnvReference(v))
    .filter((name): name is string => name !== undefined);
}
