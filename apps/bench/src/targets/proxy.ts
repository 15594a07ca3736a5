import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../system/free-port.js';
import { startService } from '../system/service.js';
import { clientHeaders, UPSTREAM_HOST } from '../upstream/expected-headers.js';
import type { Target, TargetContext } from './target.js';

/** The environment `vault-proxy start` would be given for this bench. */
export function proxyEnvironment(context: TargetContext, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    VAULT_PROXY_HOST: '127.0.0.1',
    VAULT_PROXY_PORT: String(port),
    VAULT_PROXY_UPSTREAM: `https://${UPSTREAM_HOST}`,
    VAULT_PROXY_CONNECT_TO: `127.0.0.1:${context.upstream.tlsPort}`,
    VAULT_PROXY_CA_FILE: context.caFile,
    VAULT_PROXY_POOL_SIZE: String(context.poolSize),
    // `info` is what production runs: one access line per request, to stderr (here a file).
    VAULT_PROXY_LOG_LEVEL: context.accessLog ? 'info' : 'warn',
    CF_ACCESS_CLIENT_ID: context.expected.cfAccessClientId,
    CF_ACCESS_CLIENT_SECRET: context.expected.cfAccessClientSecret,
    ...(context.proxyModule === undefined ? {} : { BENCH_PROXY_MODULE: context.proxyModule }),
  };
}

/** The CLI of this monorepo (`apps/cli`), when built: what production runs. */
const CLI = fileURLToPath(new URL('../../cli/dist/vault-proxy.js', import.meta.url));

/**
 * This proxy, in its own node process: `dist/proxy-runner.js` (→ `createProxy`
 * → `listen`) under load; for cold start `vault-proxy start` of the built CLI
 * when there is one (a candidate `--proxy-module` always uses the runner).
 */
export function proxyTarget(proxyModule: string | undefined): Target {
  const runner = fileURLToPath(new URL('./proxy-runner.js', import.meta.url));
  const useCli = proxyModule === undefined && existsSync(CLI);
  const launch = (script: readonly string[]) => async (context: TargetContext) => {
    const port = await freePort();
    const nodeArgs: string[] = [];
    if (context.profileDir !== undefined) {
      mkdirSync(context.profileDir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${context.profileDir}`);
    }
    const service = await startService({
      name: 'vault-proxy',
      command: process.execPath,
      args: [...nodeArgs, ...script],
      env: { ...proxyEnvironment(context, port), VAULT_PROXY_PID_FILE: join(context.dir, `vault-proxy-${port}.pid`) },
      plan: context.plan,
      cpus: context.plan.target,
      logFile: join(context.dir, 'proxy.log'),
      port,
    });
    return {
      url: `http://127.0.0.1:${port}`,
      pid: service.pid,
      listenMs: service.listenMs,
      spawnedAt: service.spawnedAt,
      headers: clientHeaders(context.expected),
      stop: service.stop,
    };
  };
  return {
    name: 'proxy',
    version: `@raxx/vault-proxy on node ${process.version}`,
    start: launch([runner]),
    startCold: useCli ? launch([CLI, 'start']) : launch([runner]),
    coldLauncher: useCli
      ? 'vault-proxy start (apps/cli/dist/vault-proxy.js)'
      : 'the bench runner (dist/proxy-runner.js; apps/cli not built)',
  };
}
