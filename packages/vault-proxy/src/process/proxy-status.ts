import { jsonBody, probeHttp, probeTargetFor } from './http-probe.js';
import { readPidFile } from './pid-file.js';
import { findPortHolder, type PortHolder } from './port-holder.js';
import { isProcessAlive, isVaultProxyProcess } from './process-identity.js';
import { type ProcessTargetOptions, resolveProcessTarget } from './process-target.js';
import { type ApiStatusAnswer, apiStatusOf, classifyVaultStatus, VAULT_STATUS_PATH, type VaultStatus } from './vault-status.js';

/** The proxy-local liveness endpoint (answered without touching the upstream). */
export const HEALTH_PATH = '/__vault-proxy/health';

/** Options of {@link getProxyStatus}. */
export interface ProxyStatusOptions extends ProcessTargetOptions {
  /** Milliseconds each probe request may take. Default `3000`. */
  timeoutMs?: number;
  /** Environment to read `VAULT_PROXY_PORT` / `VAULT_PROXY_HOST` / `VAULT_PROXY_PID_FILE` from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Whether a vault-proxy runs, where, and whether the vault answers through it. */
export interface ProxyStatus {
  /** A live vault-proxy process is recorded in the pid file, or the health endpoint answered. */
  readonly running: boolean;
  /** Its process id, when known. */
  readonly pid?: number;
  /** Its URL (`http://127.0.0.1:2019`). */
  readonly url?: string;
  /** The upstream it forwards to. */
  readonly upstream?: string;
  /** The pid file consulted. */
  readonly pidFile: string;
  /** The pid file names a process that is gone (or not a vault-proxy). */
  readonly stalePidFile: boolean;
  /** `GET /__vault-proxy/health` answered 200 `{status:'ok'}`. */
  readonly health: 'ok' | 'unreachable';
  /** `GET /api/status` through the proxy; absent when the proxy did not answer. */
  readonly apiStatus?: ApiStatusAnswer;
  /** What that answer means (failure mode B, vault unreachable, …); absent when the health endpoint did not answer. */
  readonly vault?: VaultStatus;
  /** When no proxy answers: the process holding the port instead, if any (docs/runbook.md §Failure mode A). */
  readonly portHolder?: PortHolder;
  /** Access-token renewal as the health endpoint reports it (counts only); absent when it did not say. */
  readonly tokenRenewal?: TokenRenewalReport;
}

/** What the proxy reports of access-token renewal (docs/architecture.md §Token renewal): counts, never an id or a token. */
export interface TokenRenewalReport {
  /** Off with `VAULT_PROXY_RENEW_TOKENS=false`. */
  readonly enabled: boolean;
  /** Identities whose credentials the proxy holds in memory. */
  readonly identities: number;
  /** Logins the proxy made on their behalf since it started. */
  readonly renewals: number;
  /** When the last renewal happened (ISO 8601). */
  readonly lastRenewalAt?: string;
}

/** The renewal part of a health answer, when it has one of the expected shape. */
function tokenRenewalOf(body: Record<string, unknown> | undefined): TokenRenewalReport | undefined {
  const r = body?.tokenRenewal as Record<string, unknown> | undefined;
  if (typeof r !== 'object' || r === null) return undefined;
  if (typeof r.enabled !== 'boolean' || typeof r.identities !== 'number' || typeof r.renewals !== 'number') return undefined;
  const last = typeof r.lastRenewalAt === 'string' ? { lastRenewalAt: r.lastRenewalAt } : {};
  return { enabled: r.enabled, identities: r.identities, renewals: r.renewals, ...last };
}

/**
 * docs/runbook.md §Diagnosis steps 1–2 ("is it running / does `/api/status` answer") in one call:
 * reads the pid file, then asks the proxy's health endpoint and
 * `/api/status` through it (plain http to loopback, short timeout, the
 * `Host` of the bound address so the proxy's Host guard accepts it).
 */
export async function getProxyStatus(options: ProxyStatusOptions = {}): Promise<ProxyStatus> {
  const env = options.env ?? process.env;
  const target = resolveProcessTarget(options, env);
  const timeoutMs = options.timeoutMs ?? 3000;
  const recorded = await readPidFile(target.pidFile);
  const recordedAlive = recorded !== undefined && isProcessAlive(recorded.pid) && isVaultProxyProcess(recorded.pid);
  const { host, port } = recorded && recordedAlive ? recorded : target;
  const probe = probeTargetFor(host, port);

  const healthAnswer = await probeHttp(probe, HEALTH_PATH, timeoutMs);
  const healthBody = healthAnswer?.status === 200 ? jsonBody(healthAnswer) : undefined;
  const health = healthBody?.status === 'ok' ? 'ok' : 'unreachable';
  const apiAnswer = health === 'ok' ? await probeHttp(probe, VAULT_STATUS_PATH, timeoutMs) : undefined;
  const apiStatus = apiAnswer === undefined ? undefined : apiStatusOf(apiAnswer);

  let pid = recordedAlive ? recorded.pid : undefined;
  if (pid === undefined && health === 'ok') pid = (await findPortHolder(port, host))?.pid;
  const upstream = recordedAlive ? recorded.upstream : typeof healthBody?.upstream === 'string' ? healthBody.upstream : undefined;
  const portHolder = health === 'ok' ? undefined : await findPortHolder(port, host);
  const url = recordedAlive ? recorded.url : health === 'ok' ? `http://${probe.hostHeader}` : undefined;
  const tokenRenewal = tokenRenewalOf(healthBody);

  return {
    running: recordedAlive || health === 'ok',
    ...(pid !== undefined ? { pid } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(upstream !== undefined ? { upstream } : {}),
    pidFile: target.pidFile,
    stalePidFile: recorded !== undefined && !recordedAlive,
    health,
    ...(apiStatus ? { apiStatus } : {}),
    ...(health === 'ok' ? { vault: classifyVaultStatus(apiStatus, timeoutMs) } : {}),
    ...(portHolder ? { portHolder } : {}),
    ...(tokenRenewal ? { tokenRenewal } : {}),
  };
}
