import { isCloudflareRefusal, PROXY_CLOUDFLARE_CODES } from '../cloudflare/cloudflare-answer.js';
import { CLOUDFLARE_HINTS } from '../cloudflare/failure-hints.js';
import { jsonBody, type ProbeAnswer, probeHttp, probeTargetFor } from './http-probe.js';

/** The path every "does the vault answer through the proxy" question asks (docs/runbook.md §Diagnosis step 2). */
export const VAULT_STATUS_PATH = '/api/status';

/** What `GET /api/status` through the proxy answered. */
export interface ApiStatusAnswer {
  /** HTTP status (200 when proxy, Cloudflare Access and Infisical are all fine). */
  readonly status: number;
  /** Whether Cloudflare's edge itself refused (a marked, non-JSON 403), not Infisical. */
  readonly cloudflare: boolean;
  /** The proxy's own error code (`UPSTREAM_UNREACHABLE`, `CF_ACCESS_DENIED`, …) when the proxy answered for the upstream. */
  readonly error?: string;
  /** The proxy's hint for that error. */
  readonly hint?: string;
}

/**
 * What an `/api/status` answer through the proxy means, decided here once
 * so `start`, `status`, `enable-vault-mcp check` and the doctor say the same:
 * `reachable`; `cloudflare-refused` (failure mode B: the proxy's
 * `CF_ACCESS_DENIED` / `CF_ACCESS_LOGIN_REDIRECT`, or any 403, which
 * `/api/status` never gets from Infisical); `vault-unreachable` (the proxy's
 * 502/504); `no-answer` (the proxy did not answer in time); `unexpected`.
 */
export type VaultStatusState = 'reachable' | 'cloudflare-refused' | 'vault-unreachable' | 'no-answer' | 'unexpected';

/** The verdict on the vault as seen through the proxy. Fixed texts and codes only, never a header or a value. */
export interface VaultStatus {
  /** See {@link VaultStatusState}. */
  readonly state: VaultStatusState;
  /** `state === 'reachable'`. */
  readonly ok: boolean;
  /** `'B'` when Cloudflare Access refused (docs/runbook.md §Failure mode B). */
  readonly failureMode?: 'B';
  /** The HTTP status, when there was an answer. */
  readonly httpStatus?: number;
  /** The proxy's error code, when the proxy answered for the vault. */
  readonly error?: string;
  /** What was seen, in one sentence. */
  readonly detail: string;
  /** What to do; absent when reachable. */
  readonly fix?: string;
}

const SEEN = `GET ${VAULT_STATUS_PATH} through the proxy`;
const UNREACHABLE_FIX =
  'The proxy is running but the vault is unreachable: check the Infisical host’s health (Lightsail) and the network; for a private CA set VAULT_PROXY_CA_FILE (docs/runbook.md §Diagnosis).';

/** The raw probe answer as an {@link ApiStatusAnswer}. @internal */
export function apiStatusOf(answer: ProbeAnswer): ApiStatusAnswer {
  const cloudflare = isCloudflareRefusal(answer.status, answer.headers);
  const body = answer.status === 200 ? undefined : jsonBody(answer);
  const error = typeof body?.error === 'string' ? body.error : undefined;
  const hint = typeof body?.hint === 'string' ? body.hint : undefined;
  return { status: answer.status, cloudflare, ...(error ? { error } : {}), ...(hint ? { hint } : {}) };
}

function refusedBy(api: ApiStatusAnswer): string {
  if (api.error === 'CF_ACCESS_LOGIN_REDIRECT')
    return 'Cloudflare Access answered with a login redirect: the service token was not accepted';
  if (api.error === 'CF_ACCESS_DENIED' || api.cloudflare) return 'Cloudflare Access refused the proxy’s service token';
  return 'refused before Infisical (Infisical never refuses /api/status)';
}

/**
 * Classify an `/api/status` answer through the proxy; `undefined` is "no
 * answer in time". Only the status and the proxy's error code are read.
 */
export function classifyVaultStatus(api: ApiStatusAnswer | undefined, timeoutMs?: number): VaultStatus {
  if (api === undefined) {
    const within = timeoutMs === undefined ? '' : ` within ${timeoutMs} ms`;
    return {
      state: 'no-answer',
      ok: false,
      detail: `${SEEN} got no answer${within}: the vault is slow, or the proxy stopped.`,
      fix: 'Run vault-proxy status; read the proxy’s log (next to its pid file) and check the Infisical host’s health (docs/runbook.md §Diagnosis).',
    };
  }
  const s = api.status;
  const code = api.error === undefined ? '' : ` ${api.error}`;
  if (s === 200)
    return { state: 'reachable', ok: true, httpStatus: s, detail: `${SEEN} → 200: proxy, Cloudflare Access and Infisical all reachable.` };
  if (s === 403 || api.cloudflare || (api.error !== undefined && PROXY_CLOUDFLARE_CODES.has(api.error))) {
    return {
      state: 'cloudflare-refused',
      ok: false,
      failureMode: 'B',
      httpStatus: s,
      ...(api.error === undefined ? {} : { error: api.error }),
      detail: `${SEEN} → ${s}${code}: ${refusedBy(api)} (failure mode B).`,
      fix: CLOUDFLARE_HINTS.refresh,
    };
  }
  if (s === 502 || s === 504) {
    return {
      state: 'vault-unreachable',
      ok: false,
      httpStatus: s,
      ...(api.error === undefined ? {} : { error: api.error }),
      detail: `${SEEN} → ${s}${code}: the proxy runs but the vault is unreachable or too slow.`,
      fix: api.hint ?? UNREACHABLE_FIX,
    };
  }
  return {
    state: 'unexpected',
    ok: false,
    httpStatus: s,
    ...(api.error === undefined ? {} : { error: api.error }),
    detail: `${SEEN} → ${s}${code}.`,
    fix: 'The vault answered unexpectedly: check the proxy’s log (next to its pid file) and the Infisical host (docs/runbook.md §Diagnosis).',
  };
}

/** Options of {@link probeVaultStatus}. */
export interface ProbeVaultStatusOptions {
  /** The address the proxy listens on (a wildcard bind is asked on loopback). */
  readonly host: string;
  /** Its port. */
  readonly port: number;
  /** Milliseconds the answer may take. Default `10000`. */
  readonly timeoutMs?: number;
}

/**
 * Ask `GET /api/status` once through the proxy at `host:port` and classify
 * the answer ({@link classifyVaultStatus}). Never throws. `vault-proxy
 * start` calls it once it listens, so a refused service token or an
 * unreachable vault is said at start, not first seen by an agent.
 */
export async function probeVaultStatus(options: ProbeVaultStatusOptions): Promise<VaultStatus> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const answer = await probeHttp(probeTargetFor(options.host, options.port), VAULT_STATUS_PATH, timeoutMs);
  return classifyVaultStatus(answer === undefined ? undefined : apiStatusOf(answer), timeoutMs);
}
