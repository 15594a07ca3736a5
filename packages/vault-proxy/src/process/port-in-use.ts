import { VaultProxyError } from '../errors.js';
import { findPortHolder } from './port-holder.js';

/**
 * Turn "the port is taken" into failure mode A (docs/runbook.md §Failure mode A) with its fix:
 * names the port and, when it can be found, the process holding it.
 * Returns a `PORT_IN_USE` error (details: `port`, `host`, `holderPid`,
 * `holderCommand`, `holderIsVaultProxy`) for the caller to throw.
 */
export async function explainPortInUse(port: number, host: string, cause?: unknown): Promise<VaultProxyError> {
  const holder = await findPortHolder(port, host).catch(() => undefined);
  const who = holder
    ? holder.isVaultProxy
      ? `another vault-proxy (pid ${holder.pid})`
      : `pid ${holder.pid} (${holder.command})`
    : 'another process (not visible to this user)';
  const fix = holder?.isVaultProxy
    ? `Stop it with \`vault-proxy stop --port ${port}\`, or pick another port with VAULT_PROXY_PORT / --port.`
    : `Stop that process, or pick another port with VAULT_PROXY_PORT / --port.`;
  return new VaultProxyError(
    'PORT_IN_USE',
    `Port ${port} on ${host} is already in use by ${who} (failure mode A, docs/runbook.md §Failure mode A). ${fix}`,
    {
      cause,
      details: {
        port,
        host,
        failureMode: 'A',
        hint: fix,
        ...(holder ? { holderPid: holder.pid, holderCommand: holder.command, holderIsVaultProxy: holder.isVaultProxy } : {}),
      },
    },
  );
}
