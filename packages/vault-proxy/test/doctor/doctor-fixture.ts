import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeVault, freePort, startFakeVault } from '@raxx/vault-testkit';
import { type DoctorOptions, type DoctorReport, runDoctor } from '../../src/doctor/index.js';
import { enableMcp } from '../../src/mcp/index.js';
import { createProxy, type ProxyHandle } from '../../src/proxy/create-proxy.js';
import type { ProxyOptions } from '../../src/proxy/proxy-options.js';

/** A fake vault and a real in-process proxy in front of it. */
export interface DoctorWorld {
  readonly vault: FakeVault;
  readonly proxy: ProxyHandle;
  readonly port: number;
  /** Scratch directory (pid files, repos). */
  readonly scratch: string;
  /** Another proxy in front of the same vault, with option overrides (closed with the world). */
  extraProxy(overrides: ProxyOptions): Promise<number>;
  close(): Promise<void>;
}

/** Start a fake vault and a silent proxy to it on 127.0.0.1:0, trusting the vault's test CA. */
export async function startWorld(): Promise<DoctorWorld> {
  const vault = await startFakeVault({ port: 0 });
  // The fake vault's env is what a real session exports: upstream, connect-to, CA, CF token.
  const base: ProxyOptions = { host: '127.0.0.1', port: 0, logLevel: 'silent' };
  const proxies: ProxyHandle[] = [];
  const start = async (overrides: ProxyOptions) => {
    const p = createProxy({ ...base, ...overrides }, vault.env);
    proxies.push(p);
    return { handle: p, port: (await p.listen()).port };
  };
  const main = await start({});
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'vault-doctor-')));
  return {
    vault,
    proxy: main.handle,
    port: main.port,
    scratch,
    extraProxy: async (overrides) => (await start(overrides)).port,
    async close() {
      await Promise.all(proxies.map((p) => p.close()));
      await vault.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** A world plus an agent repository whose MCP config points at its proxy: what the doctor's tests diagnose. */
export async function startWorldWithRepo(): Promise<{ world: DoctorWorld; repo: string }> {
  const world = await startWorld();
  const repo = join(world.scratch, 'repo');
  mkdirSync(repo);
  await enableMcp({ dir: repo, port: world.port, env: {} });
  return { world, repo };
}

/** The doctor against the world's proxy and the repository, with the vault's env (or `env`) as the session's. */
export function doctorOn(
  world: DoctorWorld,
  repo: string,
  overrides: DoctorOptions = {},
  env: Record<string, string | undefined> = world.vault.env,
): Promise<DoctorReport> {
  return runDoctor({ port: world.port, pidFile: join(world.scratch, 'absent.pid'), dir: repo, env: { ...env }, ...overrides });
}

/**
 * Every secret the world holds: credentials from the vault's env, every
 * seeded secret value, and every bearer token the vault saw.
 */
export function secretsOf(world: DoctorWorld): string[] {
  const { env, model, requests } = world.vault;
  const values = [env.CF_ACCESS_CLIENT_SECRET, env.INFISICAL_CLIENT_SECRET, env.INFISICAL_MCP_CLIENT_SECRET];
  const probe = model.getSecretValue({ environment: 'prod', secretPath: model.seed.probe.path, secretKey: model.seed.probe.key });
  if (probe) values.push(probe.value);
  for (const r of requests) {
    const auth = r.headers.authorization;
    if (auth?.startsWith('Bearer ')) values.push(auth.slice(7));
  }
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

/** A loopback port nothing listens on (shared with the other packages' tests). */
export { freePort };
