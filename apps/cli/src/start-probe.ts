import { probeVaultStatus, type VaultStatus } from '@raxx/vault-proxy/process';

/** How long `start` waits for `/api/status` through itself; a vault slower than this is worth a warning too. */
export const START_PROBE_TIMEOUT_MS = 10_000;

/** What `start` warns when the vault does not answer 200 through the new proxy; `undefined` when it does. */
export function vaultWarning(vault: VaultStatus): string | undefined {
  if (vault.ok) return undefined;
  const fix = vault.fix ? ` Fix: ${vault.fix}` : '';
  return `${vault.detail} The proxy runs, but vault calls through it fail until this is fixed.${fix}`;
}

/**
 * Ask `GET /api/status` once through the proxy just started at `host:port`
 * and warn, naming the failure mode, when Cloudflare Access refuses its
 * token (failure mode B) or the vault is unreachable. A warning, not an
 * error: the proxy keeps running (the vault may come back, the token may be
 * fixed and the proxy restarted). Resolves the verdict; never throws.
 */
export async function probeAfterStart(
  address: { readonly host: string; readonly port: number },
  warn: (line: string) => void,
): Promise<VaultStatus> {
  const vault = await probeVaultStatus({ ...address, timeoutMs: START_PROBE_TIMEOUT_MS });
  const line = vaultWarning(vault);
  if (line !== undefined) warn(line);
  return vault;
}
