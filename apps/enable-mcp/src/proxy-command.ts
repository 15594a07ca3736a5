import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { VaultProxyCommand } from '@raxx/vault-proxy/mcp';

/** The `vault-proxy` CLI built in this clone (apps/cli/dist): two levels up from src/ and from dist/ alike. */
const CLONE_CLI = fileURLToPath(new URL('../../cli/dist/vault-proxy.cjs', import.meta.url));

/**
 * How `session` runs `vault-proxy start` when it must start the proxy: the
 * CLI built next to this app, so both come from the same clone and version;
 * else `vault-proxy` from PATH (README §Running the tools puts scripts/bin there).
 */
export function vaultProxyCommand(): VaultProxyCommand {
  return existsSync(CLONE_CLI) ? { command: process.execPath, args: [CLONE_CLI] } : { command: 'vault-proxy' };
}
