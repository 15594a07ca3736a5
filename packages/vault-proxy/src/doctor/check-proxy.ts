import { classifyVaultStatus, findPortHolder, getProxyStatus, type ProxyStatus } from '../process/index.js';
import type { ResolvedDoctorOptions } from './doctor-options.js';
import { type DoctorCheck, fail, pass } from './doctor-report.js';
import { RUNBOOK_FIX } from './runbook-fixes.js';

const A_TITLE = 'Proxy running';
const B_TITLE = 'Vault status through the proxy';

/** Checks A and B share one status probe. @internal */
export interface ProxyChecks {
  readonly running: DoctorCheck;
  readonly vaultStatus: DoctorCheck | undefined;
  /** Where to reach the proxy when it runs. */
  readonly url: string | undefined;
}

async function notRunning(o: ResolvedDoctorOptions, status: ProxyStatus): Promise<DoctorCheck> {
  const { port, host } = o.target;
  const holder = await findPortHolder(port, host).catch(() => undefined);
  if (holder !== undefined && !holder.isVaultProxy) {
    return fail(
      'proxy-running',
      A_TITLE,
      `Port ${port} is held by pid ${holder.pid} (${holder.command}), not a vault-proxy.`,
      RUNBOOK_FIX.portTaken(port),
      'A',
    );
  }
  if (status.running && status.pid !== undefined) {
    return fail(
      'proxy-running',
      A_TITLE,
      `vault-proxy pid ${status.pid} is recorded but ${o.proxyUrl}/__vault-proxy/health does not answer.`,
      RUNBOOK_FIX.proxyNotAnswering(port),
      'A',
    );
  }
  const stale = status.stalePidFile ? ` The pid file ${status.pidFile} is stale.` : '';
  return fail(
    'proxy-running',
    A_TITLE,
    `Nothing answers on ${o.proxyUrl} (connection refused).${stale}`,
    RUNBOOK_FIX.startProxy(port),
    'A',
  );
}

/** Check B is the shared verdict on `/api/status` through the proxy, so start, status, check and the doctor say the same. */
function vaultStatusCheck(status: ProxyStatus): DoctorCheck {
  const vault = status.vault ?? classifyVaultStatus(undefined);
  if (vault.ok) return pass('vault-status', B_TITLE, vault.detail, vault.httpStatus);
  return fail('vault-status', B_TITLE, vault.detail, vault.fix ?? RUNBOOK_FIX.unexpectedStatus, vault.failureMode, vault.httpStatus);
}

/**
 * docs/runbook.md §Diagnosis, steps 1–2: is the proxy running (pid file, port,
 * who holds the port), and does `/api/status` answer 200 through it.
 * @internal
 */
export async function checkProxy(o: ResolvedDoctorOptions): Promise<ProxyChecks> {
  const { port, host, pidFile } = o.target;
  const status = await getProxyStatus({ port, host, pidFile, timeoutMs: o.timeoutMs, env: {} });
  if (status.health !== 'ok') return { running: await notRunning(o, status), vaultStatus: undefined, url: undefined };
  const pid = status.pid === undefined ? '' : ` (pid ${status.pid})`;
  const url = status.url ?? o.proxyUrl;
  const running = pass('proxy-running', A_TITLE, `vault-proxy${pid} answers on ${url}.`);
  return { running, vaultStatus: vaultStatusCheck(status), url };
}
