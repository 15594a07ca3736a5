import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { type FakeVault, freePort, startFakeVault } from '@raxx/vault-testkit';
import type { StartSessionOptions } from '../../src/mcp/index.js';
import { isVaultProxyProcess, readPidFile, stopVaultProxyProcess } from '../../src/process/index.js';
import { type TempDir, tempDir } from './temp-repo.js';

/** A foreground `vault-proxy start` over this package's built proxy (see the script). */
export const PROXY_FIXTURE = fileURLToPath(new URL('./fixtures/vault-proxy.mjs', import.meta.url));

/** The runbook's MCP identity, as the fake vault seeds it. */
export const RUNBOOK_IDENTITY = { identityName: 'infisical-identity-mcp-main-loop-trademaster', agentName: 'mcp-ro' } as const;

/** One test's world: a fake vault, a fresh git repository, a private pid file and port. */
export interface SessionWorld {
  readonly fake: FakeVault;
  readonly repo: TempDir;
  readonly runDir: string;
  readonly pidFile: string;
  readonly port: number;
  /** The operator's environment: the fake vault's, without the MCP identity's variables (the session fetches them). */
  readonly env: Record<string, string>;
  /** Session options for the runbook identity, through the fixture proxy; `extra` wins. */
  options(extra?: Partial<StartSessionOptions>): StartSessionOptions;
  /** The values that must appear nowhere but in memory and in `--print-env`'s output. */
  canaries(): string[];
  /** Everything on disk the session may have written: the config, .gitignore, the proxy's log. */
  writtenText(): Promise<string>;
  /** Stop the proxy its pid file names (only while it is a vault-proxy), remove the temp dirs, close the vault. */
  close(): Promise<void>;
}

/** A JWT-shaped string (an access token) anywhere in `text`. */
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

/** Every way an error may be printed: message, details, inspect (with its cause chain), JSON. */
export function errorText(error: unknown): string {
  const e = error as Error & { details?: unknown };
  return [e.message, JSON.stringify(e.details), inspect(error, { depth: 8 }), JSON.stringify(error)].join('\n');
}

export async function sessionWorld(): Promise<SessionWorld> {
  const fake = await startFakeVault({ port: 0 });
  const repo = tempDir(true);
  const runDir = await mkdtemp(join(tmpdir(), 'vp-session-run-'));
  const pidFile = join(runDir, 'vault-proxy.pid');
  const port = await freePort();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', XDG_RUNTIME_DIR: runDir, VAULT_PROXY_PID_FILE: pidFile };
  for (const [key, value] of Object.entries(fake.env)) if (!key.startsWith('INFISICAL_MCP_')) env[key] = value;
  const seed = fake.model.seed;
  return {
    fake,
    repo,
    runDir,
    pidFile,
    port,
    env,
    options: (extra = {}) => ({
      ...RUNBOOK_IDENTITY,
      cwd: repo.path,
      env,
      port,
      proxyCommand: { command: process.execPath, args: [PROXY_FIXTURE] },
      ...extra,
    }),
    canaries: () => [seed.mcp.clientSecret, seed.mcp.clientId, seed.admin.clientSecret, seed.cfAccessClientSecret],
    async writtenText() {
      const read = (path: string) => readFile(path, 'utf8').catch(() => '');
      const files = [join(repo.path, '.mcp.json'), join(repo.path, '.gitignore'), join(runDir, 'vault-proxy.log')];
      return (await Promise.all(files.map(read))).join('\n');
    },
    async close() {
      const running = await readPidFile(pidFile);
      if (running && isVaultProxyProcess(running.pid)) await stopVaultProxyProcess(running.pid, 5000, pidFile);
      repo.remove();
      await rm(runDir, { recursive: true, force: true });
      await fake.close();
    },
  };
}

/** A loopback port nothing listens on (shared with the other packages' tests). */
export { freePort };
