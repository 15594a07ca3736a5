import { getProxyStatus, type ProxyStatus } from '@raxx/vault-proxy';
import type { Argv } from 'yargs';
import { mark, say, sayJson } from '../output.js';
import { type TargetArgs, targetBuilder, targetEnvHelp, targetOptions } from './target-flags.js';

/** Flags of `vault-proxy status`. */
export type StatusArgs = TargetArgs;

/** yargs builder of `status`. */
export function statusBuilder<T>(y: Argv<T>): Argv<T> {
  return targetBuilder(y).epilogue(
    `Exit status 0 when the proxy runs and /api/status through it answers 200, else 1.\n\n${targetEnvHelp()}`,
  ) as Argv<T>;
}

function apiLine(status: ProxyStatus): string {
  const api = status.apiStatus;
  if (!api) return `${mark(false)} /api/status through the proxy: no answer (the proxy is not reachable)`;
  if (api.status === 200) return `${mark(true)} /api/status through the proxy: 200 (proxy, Cloudflare Access and Infisical reachable)`;
  const from = api.cloudflare ? ' from Cloudflare' : '';
  const code = api.error ? ` ${api.error}` : '';
  const hint = api.hint
    ? ` — ${api.hint}`
    : api.status === 403
      ? ' — check CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET (failure mode B)'
      : '';
  return `${mark(false)} /api/status through the proxy: ${api.status}${from}${code}${hint}`;
}

/** `vault-proxy status`: running? where? does the vault answer through it? */
export async function statusCommand(argv: StatusArgs): Promise<number> {
  const status = await getProxyStatus(targetOptions(argv));
  const healthy = status.running && status.apiStatus?.status === 200;
  if (argv.json) {
    sayJson(status);
    return healthy ? 0 : 1;
  }
  if (status.running) {
    const pid = status.pid === undefined ? '' : ` (pid ${status.pid})`;
    const where = status.url ? ` at ${status.url}${status.upstream ? ` → ${status.upstream}` : ''}` : '';
    say(`${mark(true)} vault-proxy running${pid}${where}`);
    if (status.health !== 'ok') say(`${mark(false)} its health endpoint does not answer`);
    say(apiLine(status));
  } else {
    say(`${mark(false)} vault-proxy not running (pid file ${status.pidFile}${status.stalePidFile ? ' is stale' : ' not found'})`);
    const holder = status.portHolder;
    if (holder) say(`  the port is held by pid ${holder.pid} (${holder.command}): stop it or use another port (runbook failure mode A)`);
    else say('  start it: vault-proxy start --detach   (runbook failure mode A)');
  }
  return healthy ? 0 : 1;
}
