import { CLOUDFLARE_HINTS } from '../cloudflare/failure-hints.js';
import { configInvalid, VaultProxyError } from '../errors.js';
import { getProxyStatus, probeVaultStatus, startDetached, stopVaultProxyProcess } from '../process/index.js';
import type { Env } from '../settings/env.js';
import { SETTINGS } from '../settings/settings-table.js';
import type { ResolvedSession } from './session-options.js';
import type { SessionSteps } from './session-steps.js';

/** The proxy a session goes through. */
export interface SessionProxy {
  /** Its URL, e.g. `http://127.0.0.1:2019`. */
  readonly url: string;
  /** Its process id, when known. */
  readonly pid?: number;
  /** `true` when this session started it; `false` when one already answered on the port and was reused. */
  readonly started: boolean;
  /** Its pid file. */
  readonly pidFile: string;
  /** Its log file, when this session started it. */
  readonly logFile?: string;
}

/** Identity secrets a long-running proxy never needs, kept out of its environment (its own token is the Access one). */
const NOT_FOR_THE_PROXY = new Set([SETTINGS.adminClientSecret.env, SETTINGS.mcpClientSecret.env]);

function proxyEnv(env: Env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== undefined && !NOT_FOR_THE_PROXY.has(name)));
}

/** Runbook step 1, names only: both Access variables must be set for the proxy about to start. */
function requireAccessToken(env: Env): void {
  const missing = [SETTINGS.cfAccessClientId.env, SETTINGS.cfAccessClientSecret.env].filter((name) => (env[name] ?? '').trim() === '');
  const [first, second] = missing;
  if (first === undefined) return;
  const problem = second === undefined ? 'is not set' : `and ${second} are not set`;
  throw configInvalid(
    first,
    'env',
    problem,
    `${CLOUDFLARE_HINTS.missing} The proxy sends them on every request; nothing was started or written.`,
  );
}

function notFound(error: unknown): boolean {
  return error instanceof VaultProxyError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** The `vault-proxy` CLI is not where the session looked: say where to get it, or how to do without it. */
function noProxyCommand(command: string, cause: unknown): VaultProxyError {
  const hint =
    'Put the clone’s scripts/bin on PATH (README §Running the tools), or start the proxy yourself (vault-proxy start --detach) and run this again: a running proxy is reused.';
  return new VaultProxyError('LISTEN_FAILED', `Could not start the proxy: ${command} was not found. ${hint}`, { cause, details: { hint } });
}

/**
 * Runbook steps 1–2: reuse the proxy that answers on the session's port, or
 * check the Access token is set and start one detached (the `vault-proxy`
 * CLI, its log next to its pid file). @internal
 */
export async function ensureProxy(session: ResolvedSession, steps: SessionSteps): Promise<SessionProxy> {
  const { host, port, pidFile } = session.proxy;
  const status = await getProxyStatus({ host, port, pidFile, env: session.env });
  if (status.health === 'ok') {
    const url = status.url ?? session.proxyUrl;
    steps.record('access-token', 'skipped', `not needed here: the proxy on ${url} sends the token it was started with`);
    const pid = status.pid === undefined ? '' : `pid ${status.pid}, `;
    steps.record('proxy', 'already-done', `already running: ${pid}${url}${status.upstream ? ` → ${status.upstream}` : ''}`);
    return { url, ...(status.pid === undefined ? {} : { pid: status.pid }), started: false, pidFile };
  }
  requireAccessToken(session.env);
  steps.record(
    'access-token',
    'done',
    `${SETTINGS.cfAccessClientId.env} and ${SETTINGS.cfAccessClientSecret.env} are set (values not shown)`,
  );
  const accessSecret = session.env[SETTINGS.cfAccessClientSecret.env];
  const started = await startDetached({
    command: session.proxyCommand.command,
    args: [...(session.proxyCommand.args ?? []), 'start', '--port', String(port), '--pid-file', pidFile, '--detached-child'],
    pidFile,
    env: proxyEnv(session.env),
    timeoutMs: session.startTimeoutMs,
    redact: accessSecret === undefined ? [] : [accessSecret],
    listen: { host, port },
  }).catch((error: unknown) => {
    throw notFound(error) ? noProxyCommand(session.proxyCommand.command, error) : error;
  });
  const detail = `started in the background: pid ${started.pid}, ${started.url} → ${started.upstream}; log ${started.logFile}`;
  steps.record('proxy', 'done', detail);
  return { url: started.url, pid: started.pid, started: true, pidFile, logFile: started.logFile };
}

/** Runbook step 2's check: `/api/status` through the proxy answers 200, else the failure mode and its fix. @internal */
export async function checkVaultStatus(session: ResolvedSession, steps: SessionSteps): Promise<void> {
  const vault = await probeVaultStatus({ host: session.proxy.host, port: session.proxy.port, timeoutMs: session.timeoutMs });
  if (!vault.ok) {
    throw new VaultProxyError('VERIFY_FAILED', `${vault.detail} ${vault.fix ?? ''}`.trim(), {
      details: {
        ...(vault.httpStatus === undefined ? {} : { status: vault.httpStatus }),
        ...(vault.failureMode === undefined ? {} : { failureMode: vault.failureMode }),
        ...(vault.fix === undefined ? {} : { hint: vault.fix }),
      },
    });
  }
  steps.record('vault-status', 'done', vault.detail);
}

/** Undo a start this session made, when a later step fails: a failed session leaves no proxy of its own running. @internal */
export async function stopStartedProxy(proxy: SessionProxy | undefined): Promise<void> {
  if (proxy?.started !== true || proxy.pid === undefined) return;
  await stopVaultProxyProcess(proxy.pid, 5000, proxy.pidFile).catch(() => undefined);
}
