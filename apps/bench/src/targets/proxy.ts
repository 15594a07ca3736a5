import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../system/free-port.js';
import { startService } from '../system/service.js';
import { clientHeaders, UPSTREAM_HOST } from '../upstream/expected-headers.js';
import type { Target, TargetContext } from './target.js';

/** One build of the proxy to measure: the installed library (`proxy`) or a candidate (`candidate`). */
export interface ProxyBuild {
  readonly name: 'proxy' | 'candidate';
  /** ESM file exporting `createProxy`; `undefined` for the installed `@raxx/vault-proxy`. */
  readonly module: string | undefined;
  /** A `vault-proxy` CLI script that runs this build, for cold start; `undefined` → the bench runner. */
  readonly cli: string | undefined;
  /** How cold start launches it, for the report. */
  readonly coldLauncher: string;
  readonly version: string;
}

/** The environment `vault-proxy start` would be given for this bench. */
export function proxyEnvironment(context: TargetContext, port: number, module: string | undefined): NodeJS.ProcessEnv {
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
    ...(module === undefined ? {} : { BENCH_PROXY_MODULE: module }),
  };
}

/**
 * A build of this proxy, in its own node process: `dist/proxy-runner.js`
 * (→ `createProxy` → `listen`) under load; for cold start the build's
 * `vault-proxy start` when there is one, which is what production runs.
 */
export function proxyTarget(build: ProxyBuild): Target {
  const runner = fileURLToPath(new URL('./proxy-runner.js', import.meta.url));
  const launch = (script: readonly string[]) => async (context: TargetContext) => {
    const port = await freePort();
    const nodeArgs: string[] = [];
    if (context.profileDir !== undefined) {
      // One directory per build: the profiles of proxy and candidate must not mix.
      const dir = join(context.profileDir, build.name);
      mkdirSync(dir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    const service = await startService({
      name: `vault-proxy (${build.name})`,
      command: process.execPath,
      args: [...nodeArgs, ...script],
      env: { ...proxyEnvironment(context, port, build.module), VAULT_PROXY_PID_FILE: join(context.dir, `vault-proxy-${port}.pid`) },
      plan: context.plan,
      cpus: context.plan.target,
      logFile: join(context.dir, `${build.name}.log`),
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
    name: build.name,
    version: build.version,
    start: launch([runner]),
    startCold: build.cli === undefined ? launch([runner]) : launch([build.cli, 'start']),
    coldLauncher: build.coldLauncher,
  };
}
