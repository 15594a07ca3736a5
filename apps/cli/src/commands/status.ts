import type { CliContext, OutcomeLine } from '@raxx/cli-kit';
import { getProxyStatus, type ProxyStatus } from '@raxx/vault-proxy/process';
import type { Argv } from 'yargs';
import { type TargetArgs, targetBuilder, targetEnvHelp, targetOptions } from './target-flags.js';

/** Flags of `vault-proxy status`. */
export type StatusArgs = TargetArgs;

/** yargs builder of `status`. */
export function statusBuilder<T>(y: Argv<T>): Argv<T> {
  return targetBuilder(y).epilogue(
    `Exit status 0 when the proxy runs and /api/status through it answers 200, else 1.\n\n${targetEnvHelp()}`,
  ) as Argv<T>;
}

/** The shared verdict on `/api/status` through the proxy (the same as start's warning, check and the doctor). */
function apiLine(status: ProxyStatus): OutcomeLine {
  const title = '/api/status through the proxy';
  const vault = status.vault;
  if (!vault) return { outcome: 'fail', title, detail: 'no answer (the proxy is not reachable)' };
  if (vault.ok) return { outcome: 'pass', title, detail: '200 (proxy, Cloudflare Access and Infisical reachable)' };
  return { outcome: 'fail', title, detail: vault.detail, ...(vault.fix ? { fix: vault.fix } : {}) };
}

/** `vault-proxy status`: running? where? does the vault answer through it? */
export async function statusCommand(argv: StatusArgs, { output }: CliContext): Promise<number> {
  const status = await getProxyStatus(targetOptions(argv));
  const healthy = status.running && status.apiStatus?.status === 200;
  if (argv.json) {
    output.sayJson(status);
    return healthy ? 0 : 1;
  }
  if (status.running) {
    const pid = status.pid === undefined ? '' : ` (pid ${status.pid})`;
    const where = status.url ? ` at ${status.url}${status.upstream ? ` → ${status.upstream}` : ''}` : '';
    output.outcome({ outcome: 'pass', title: 'vault-proxy', detail: `running${pid}${where}` });
    if (status.health !== 'ok') output.outcome({ outcome: 'fail', title: 'health endpoint', detail: 'does not answer' });
    output.outcome(apiLine(status));
    const renewal = status.tokenRenewal;
    if (renewal) {
      const detail = renewal.enabled
        ? `on; ${renewal.identities} identit${renewal.identities === 1 ? 'y' : 'ies'} held in memory, ${renewal.renewals} renewal${renewal.renewals === 1 ? '' : 's'}${renewal.lastRenewalAt ? ` (last ${renewal.lastRenewalAt})` : ''}`
        : 'off (VAULT_PROXY_RENEW_TOKENS=false)';
      output.outcome({ outcome: 'info', title: 'access-token renewal', detail });
    }
  } else {
    const holder = status.portHolder;
    output.outcome({
      outcome: 'fail',
      title: 'vault-proxy',
      detail: `not running (pid file ${status.pidFile}${status.stalePidFile ? ' is stale' : ' not found'})`,
      fix: holder
        ? `The port is held by pid ${holder.pid} (${holder.command}): stop it or use another port (failure mode A).`
        : 'Start it: vault-proxy start --detach (failure mode A).',
    });
  }
  return healthy ? 0 : 1;
}
