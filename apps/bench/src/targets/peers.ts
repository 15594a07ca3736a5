import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerName } from '../options.js';
import { freePort } from '../system/free-port.js';
import type { Tool } from '../system/install.js';
import { toolVersion } from '../system/install.js';
import { startService } from '../system/service.js';
import { clientHeaders } from '../upstream/expected-headers.js';
import { caddyConfig, haproxyConfig, nginxConfig, type PeerConfigInput } from './peer-config.js';
import type { Target } from './target.js';

/** The peers and wrk, as Debian provides them. */
export const TOOLS: Readonly<Record<PeerName | 'wrk', Tool>> = {
  nginx: { name: 'nginx', binary: 'nginx', aptPackage: 'nginx' },
  caddy: { name: 'caddy', binary: 'caddy', aptPackage: 'caddy' },
  haproxy: { name: 'haproxy', binary: 'haproxy', aptPackage: 'haproxy' },
  wrk: { name: 'wrk', binary: 'wrk', aptPackage: 'wrk' },
};

interface PeerRecipe {
  readonly config: (input: PeerConfigInput) => string;
  readonly file: string;
  readonly args: (configFile: string, dir: string) => string[];
  readonly versionArgs: readonly string[];
  readonly versionPattern: RegExp;
}

const RECIPES: Readonly<Record<PeerName, PeerRecipe>> = {
  nginx: {
    config: nginxConfig,
    file: 'nginx.conf',
    args: (file, dir) => ['-p', dir, '-e', join(dir, 'nginx-error.log'), '-c', file],
    versionArgs: ['-v'],
    versionPattern: /nginx version: (\S+)/,
  },
  caddy: {
    config: caddyConfig,
    file: 'caddy.json',
    args: (file) => ['run', '--config', file],
    versionArgs: ['version'],
    versionPattern: /(v?\d+\.\d+\.\d+\S*)/,
  },
  haproxy: {
    config: haproxyConfig,
    file: 'haproxy.cfg',
    args: (file) => ['-db', '-f', file],
    versionArgs: ['-v'],
    versionPattern: /(HAProxy version \S+)/,
  },
};

/** A peer reverse proxy: its config is generated into a fresh directory for each instance. */
export function peerTarget(name: PeerName, binary: string): Target {
  const recipe = RECIPES[name];
  let instances = 0;
  return {
    name,
    version: toolVersion(binary, recipe.versionArgs, recipe.versionPattern),
    async start(context) {
      const dir = join(context.dir, `${name}-${++instances}`);
      mkdirSync(dir, { recursive: true });
      const listenPort = await freePort();
      const configFile = join(dir, recipe.file);
      const input: PeerConfigInput = {
        listenPort,
        upstreamPort: context.upstream.tlsPort,
        caFile: context.caFile,
        expected: context.expected,
        poolSize: context.poolSize,
        workers: context.plan.target.length,
        dir,
        accessLogFile: context.accessLog ? join(dir, 'access.log') : undefined,
      };
      writeFileSync(configFile, recipe.config(input), { mode: 0o600 });
      const service = await startService({
        name,
        command: binary,
        args: recipe.args(configFile, dir),
        // Caddy keeps state under XDG dirs / HOME: keep it in the scratch dir.
        env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
        plan: context.plan,
        cpus: context.plan.target,
        logFile: join(dir, 'output.log'),
        port: listenPort,
      });
      return {
        url: `http://127.0.0.1:${listenPort}`,
        pid: service.pid,
        listenMs: service.listenMs,
        spawnedAt: service.spawnedAt,
        headers: clientHeaders(context.expected),
        stop: service.stop,
      };
    },
  };
}
