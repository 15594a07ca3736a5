import { getProxyStatus, type VaultStatus } from '../process/index.js';
import { type McpVariableState, variableStates } from './enable-mcp.js';
import type { McpClient } from './mcp-client.js';
import { diffMcpEntry } from './mcp-config.js';
import { MCP_CLIENT_ID_VAR, MCP_CLIENT_SECRET_VAR, type McpServerEntry, referencedVariables } from './mcp-server-entry.js';
import { type EnableMcpOptions, expectedMcpEntry, resolveMcpPort } from './mcp-settings.js';
import { resolveMcpTarget } from './mcp-target.js';
import { type McpEntryReading, readMcpEntry } from './read-mcp-entry.js';

/**
 * Variables the MCP server needs in the agent's environment: the MCP
 * identity. Not the Cloudflare token: only the proxy sends it, and the
 * proxy's `/api/status` answer is what proves it works.
 */
export const MCP_REQUIRED_VARIABLES: readonly string[] = [MCP_CLIENT_ID_VAR, MCP_CLIENT_SECRET_VAR];

/** Options of {@link checkMcp}: the same as enable's, so "current" means "what enable would write now". */
export interface CheckMcpOptions extends EnableMcpOptions {
  /** Milliseconds the proxy probe may take. Default `3000`. */
  timeoutMs?: number;
}

/**
 * State of our entry: `current` (matches what enable would write now),
 * `outdated` (present but different), `missing-entry`, `missing-file`, or
 * `malformed` (the file cannot be parsed).
 */
export type McpEntryState = 'current' | 'outdated' | 'missing-entry' | 'missing-file' | 'malformed';

/** What {@link checkMcp} found. Names and states only, never a value. */
export interface CheckMcpResult {
  /** Entry current, every variable set, the proxy answers, and the vault answers through it. */
  readonly ok: boolean;
  /** The client. */
  readonly client: McpClient;
  /** Absolute path of the config file. */
  readonly file: string;
  /** State of our entry. */
  readonly entry: McpEntryState;
  /** When `malformed`: what is wrong, with the line and column of a syntax error. */
  readonly problem?: string;
  /** Key paths where the entry differs from what enable would write (`env.INFISICAL_HOST_URL`, …). */
  readonly differences: readonly string[];
  /** The needed variables and whether each is set. */
  readonly variables: readonly McpVariableState[];
  /** Whether the proxy the entry points at answers its health endpoint, and the vault answers through it. */
  readonly proxy: {
    /** `http://127.0.0.1:<port>`. */
    readonly url: string;
    /** `GET /__vault-proxy/health` answered ok. */
    readonly answers: boolean;
    /** The pid of the proxy, when known. */
    readonly pid?: number;
    /**
     * `GET /api/status` through it (Cloudflare Access refusing the proxy's
     * token is failure mode B; a 502/504 an unreachable vault); absent when
     * the proxy does not answer.
     */
    readonly vault?: VaultStatus;
  };
}

function inspectEntry(reading: McpEntryReading, expected: McpServerEntry): { entry: McpEntryState; differences: string[] } {
  if (reading.state !== 'found') return { entry: reading.state, differences: [] };
  const differences = diffMcpEntry(reading.entry, expected);
  return { entry: differences.length === 0 ? 'current' : 'outdated', differences };
}

/**
 * Whether the entry is present and current, which needed variables are set
 * (names only), whether the proxy answers, and whether the vault answers
 * through it (`/api/status`, the same verdict as `vault-proxy status` and
 * the doctor). Never throws for a missing or malformed file: it reports them.
 */
export async function checkMcp(options: CheckMcpOptions = {}): Promise<CheckMcpResult> {
  const env = options.env ?? process.env;
  const target = await resolveMcpTarget(options);
  const expected = expectedMcpEntry(options, target);
  const port = resolveMcpPort(options.port, env);

  const reading = await readMcpEntry({ ...options, dir: target.root });
  const { entry, differences } = inspectEntry(reading, expected);
  const variables = variableStates([...referencedVariables(expected), ...MCP_REQUIRED_VARIABLES], env);
  const status = await getProxyStatus({ port, host: '127.0.0.1', timeoutMs: options.timeoutMs ?? 3000, env });
  const proxy = {
    url: `http://127.0.0.1:${port}`,
    answers: status.health === 'ok',
    ...(status.pid === undefined ? {} : { pid: status.pid }),
    ...(status.vault === undefined ? {} : { vault: status.vault }),
  };
  return {
    ok: entry === 'current' && variables.every((v) => v.set) && proxy.answers && proxy.vault?.ok === true,
    client: target.client,
    file: target.file,
    entry,
    ...(reading.problem === undefined ? {} : { problem: reading.problem }),
    differences,
    variables,
    proxy,
  };
}
