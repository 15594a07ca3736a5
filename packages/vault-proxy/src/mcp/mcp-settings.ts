import { VaultProxyError } from '../errors.js';
import { buildMcpServerEntry, DEFAULT_PROXY_PORT, type McpServerEntry, type McpServerEntryOptions } from './mcp-server-entry.js';
import type { McpEnv, McpTarget, McpTargetOptions } from './mcp-target.js';

/** Options of {@link enableMcp} and {@link checkMcp}: where the config lives and what the entry says. */
export interface EnableMcpOptions extends McpTargetOptions, Omit<McpServerEntryOptions, 'client' | 'port'> {
  /** Port of the local proxy. Default `VAULT_PROXY_PORT`, else `2019`. */
  port?: number;
}

/** The proxy port from the option, else `VAULT_PROXY_PORT`, else 2019. @internal */
export function resolveMcpPort(port: number | undefined, env: McpEnv): number {
  if (port !== undefined) return port;
  const raw = env.VAULT_PROXY_PORT?.trim();
  if (raw === undefined || raw === '') return DEFAULT_PROXY_PORT;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new VaultProxyError(
      'CONFIG_INVALID',
      'VAULT_PROXY_PORT must be an integer from 1 to 65535. Set it to the port the proxy listens on.',
      {
        details: { field: 'VAULT_PROXY_PORT' },
      },
    );
  }
  return n;
}

/** The entry enable would write now for `target`. @internal */
export function expectedMcpEntry(options: EnableMcpOptions, target: McpTarget): McpServerEntry {
  const { packageSpec, tools, allowWriteTools, clientIdRef, clientSecretRef } = options;
  const port = resolveMcpPort(options.port, options.env ?? process.env);
  return buildMcpServerEntry({ client: target.client, port, packageSpec, tools, allowWriteTools, clientIdRef, clientSecretRef });
}
