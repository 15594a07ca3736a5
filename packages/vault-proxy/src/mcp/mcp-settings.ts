import { configInvalid } from '../errors.js';
import { readSetting } from '../settings/read-setting.js';
import { SETTINGS } from '../settings/settings-table.js';
import { buildMcpServerEntry, type McpServerEntry, type McpServerEntryOptions } from './mcp-server-entry.js';
import type { McpEnv, McpTarget, McpTargetOptions } from './mcp-target.js';

/** Options of {@link enableMcp} and {@link checkMcp}: where the config lives and what the entry says. */
export interface EnableMcpOptions extends McpTargetOptions, Omit<McpServerEntryOptions, 'client' | 'port'> {
  /** Port of the local proxy. Default `VAULT_PROXY_PORT`, else `2019`. */
  port?: number;
}

/** The proxy port from the option, else `VAULT_PROXY_PORT`, else 2019 (the settings table's one port parser). @internal */
export function resolveMcpPort(port: number | undefined, env: McpEnv): number {
  const value = readSetting(SETTINGS.port, port, env) as number;
  if (value === 0) {
    throw configInvalid(
      port !== undefined ? 'port' : SETTINGS.port.env,
      port !== undefined ? 'option' : 'env',
      'is 0, which picks a free port at start and cannot be pointed at',
      'Set it to the port the proxy listens on (vault-proxy status shows it).',
    );
  }
  return value;
}

/** The entry enable would write now for `target`. @internal */
export function expectedMcpEntry(options: EnableMcpOptions, target: McpTarget): McpServerEntry {
  const { packageSpec, tools, allowWriteTools, clientIdRef, clientSecretRef } = options;
  const port = resolveMcpPort(options.port, options.env ?? process.env);
  return buildMcpServerEntry({ client: target.client, port, packageSpec, tools, allowWriteTools, clientIdRef, clientSecretRef });
}
