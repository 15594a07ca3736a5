import { isCloudflareRefusal } from '../cloudflare/cloudflare-answer.js';
import { jsonBody, type ProbeAnswer, probeHttp, probeTargetFor } from './http-probe.js';
import { readPidFile } from './pid-file.js';
import { findPortHolder, type PortHolder } from './port-holder.js';
import { isProcessAlive, isVaultProxyProcess } from './process-identity.js';
import { type ProcessTargetOptions, resolveProcessTarget } from './process-target.js';

/** The proxy-local liveness endpoint (answered without touching the upstream). */
export const HEALTH_PATH = '/__vault-proxy/health';

/** Options of {@link getProxyStatus}. */
export interface ProxyStatusOptions extends ProcessTargetOptions {
  /** Milliseconds each probe request may take. Default `3000`. */
  timeoutMs?: number;
  /** Environment to read `VAULT_PROXY_PORT` / `VAULT_PROXY_HOST` / `VAULT_PROXY_PID_FILE` from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What `GET /api/status` through the proxy answered. */
export interface ApiStatusAnswer {
  /** HTTP status (200 when proxy, Cloudflare Access and Infisical are all fine). */
  readonly status: number;
  /** Whether Cloudflare's edge itself refused (a marked, non-JSON 403), not Infisical. */
  readonly cloudflare: boolean;
  /** The proxy's own error code (`UPSTREAM_UNREACHABLE`, …) when the proxy answered for the upstream. */
  readonly error?: string;
  /** The proxy's hint for that error. */
  readonly hint?: string;
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
  /** When no proxy answers: the process holding the port instead, if any (docs/runbook.md §Failure mode A). */
  readonly portHolder?: PortHolder;
}

function apiStatusOf(answer: ProbeAnswer): ApiStatusAnswer {
  const cloudflare = isCloudflareRefusal(answer.status, answer.headers);
  const body = answer.status === 200 ? undefined : jsonBody(answer);
  const error = typeof body?.error === 'string' ? body.error : undefined;
  const hint = typeof body?.hint === 'string' ? body.hint : undefined;
  return { status: answer.status, cloudflare, ...(error ? { error } : {}), ...(hint ? { hint } : {}) };
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
  const apiAnswer = health === 'ok' ? await probeHttp(probe, '/api/status', timeoutMs) : undefined;

  let pid = recordedAlive ? recorded.pid : undefined;
  if (pid === undefined && health === 'ok') pid = (await findPortHolder(port, host))?.pid;
  const upstream = recordedAlive ? recorded.upstream : typeof healthBody?.upstream === 'string' ? healthBody.upstream : undefined;
  const portHolder = health === 'ok' ? undefined : await findPortHolder(port, host);
  const url = recordedAlive ? recorded.url : health === 'ok' ? `http://${probe.hostHeader}` : undefined;

  return {
    running: recordedAlive || health === 'ok',
    ...(pid !== undefined ? { pid } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(upstream !== undefined ? { upstream } : {}),
    pidFile: target.pidFile,
    stalePidFile: recorded !== undefined && !recordedAlive,
    health,
    ...(apiAnswer ? { apiStatus: apiStatusOf(apiAnswer) } : {}),
    ...(portHolder ? { portHolder } : {}),
  };
}
