import { resolve } from 'node:path';
import { configInvalid } from '../errors.js';
import { operatorDirectory } from '../files/operator-directory.js';
import type { UniversalAuthCredentials } from '../infisical/index.js';
import { type ProcessTarget, resolveProcessTarget } from '../process/index.js';
import type { Env } from '../settings/env.js';
import { readSetting, requireSetting } from '../settings/read-setting.js';
import { SETTINGS } from '../settings/settings-table.js';
import { refuseTracked } from './enable-mcp.js';
import { parseMcpConfig } from './mcp-config.js';
import { readConfigText } from './mcp-config-file.js';
import { type EnableMcpOptions, expectedMcpEntry, resolveMcpPort } from './mcp-settings.js';
import { type McpTarget, type McpTargetOptions, resolveMcpTarget } from './mcp-target.js';
import { sessionCommand } from './session-command.js';
import { resolveSessionIdentity, type SessionIdentity, type SessionIdentityOptions } from './session-identity.js';
import type { SessionStepListener } from './session-steps.js';

/** How to run the `vault-proxy` CLI when the session must start the proxy. */
export interface VaultProxyCommand {
  /** The program: `vault-proxy` (looked up on the environment's `PATH`), or node with the CLI's script in `args`. */
  readonly command: string;
  /** Arguments before `start …`, e.g. `['/path/to/apps/cli/dist/vault-proxy.cjs']` with `command: process.execPath`. Default none. */
  readonly args?: readonly string[];
}

/** Options of {@link startSession}. Unset fields come from the environment (the settings table), then the defaults. */
export interface StartSessionOptions extends McpTargetOptions, SessionIdentityOptions {
  /** Port of the proxy: reused when a proxy answers there, else started on it; the MCP config points at it. Default `VAULT_PROXY_PORT`, else `2019`. */
  port?: number;
  /** Pid file of that proxy. Default `VAULT_PROXY_PID_FILE`, else one per port in the runtime directory. */
  pidFile?: string;
  /** The Infisical project holding the credentials and the probe key. Default `INFISICAL_PROJECT_ID` (with `manifest`: the entry's). */
  projectId?: string;
  /** A key the MCP identity may read, read once as the end-to-end check. Default `VAULT_PROBE_KEY`; without one the read is skipped (the login is still checked). */
  probeKey?: string;
  /** Folder of `probeKey`. Default `VAULT_PROBE_PATH`, else `/MooseQuest/`. */
  probePath?: string;
  /** How to run `vault-proxy start` for a detached proxy. Default `{ command: 'vault-proxy' }` (from `PATH`). */
  proxyCommand?: VaultProxyCommand;
  /** Milliseconds one vault call through the proxy may take. Default `30000`. */
  timeoutMs?: number;
  /** Milliseconds a started proxy has to answer its health endpoint. Default `15000`. */
  startTimeoutMs?: number;
  /** The caller prints the credentials as shell exports (`--print-env`); this only changes the next steps the result names. Default `false`. */
  printEnv?: boolean;
  /** Called with each step as soon as it is done. */
  onStep?: SessionStepListener;
}

/** A session's options after the environment, defaults and validation. @internal */
export interface ResolvedSession {
  readonly env: Env;
  /** What `enableMcp` is given (the port fixed). */
  readonly mcp: EnableMcpOptions;
  readonly target: McpTarget;
  /** The proxy's address and pid file. */
  readonly proxy: ProcessTarget;
  /** Where to reach it (a wildcard bind is asked on loopback). */
  readonly proxyUrl: string;
  readonly identity: SessionIdentity;
  readonly projectId: string;
  readonly admin: UniversalAuthCredentials;
  readonly probe: { readonly key: string; readonly path: string } | undefined;
  readonly proxyCommand: VaultProxyCommand;
  readonly timeoutMs: number;
  readonly startTimeoutMs: number;
  /** The command line that starts this same session (for the next steps). */
  readonly command: string;
}

const ADMIN_HINT =
  'Export the admin machine identity INFISICAL_CLIENT_ID / INFISICAL_CLIENT_SECRET and INFISICAL_PROJECT_ID: the session reads the MCP identity’s credentials as the admin identity (docs/runbook.md §Before you start).';

function positive(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw configInvalid(field, 'option', 'must be a positive integer', 'Fix or omit it.');
  return value;
}

/** The MCP config is checked before anything runs: a malformed or git-tracked file fails the session before it starts a proxy. */
async function checkMcpConfig(mcp: EnableMcpOptions): Promise<McpTarget> {
  const target = await resolveMcpTarget(mcp);
  expectedMcpEntry(mcp, target);
  const text = await readConfigText(target.file);
  if (text !== undefined) parseMcpConfig(text, target.client, target.file);
  await refuseTracked(target);
  return target;
}

/**
 * Resolve → validate every option of a session before any step runs, so bad
 * input changes nothing: the identity (names or manifest entry), the admin
 * identity and project, the MCP config and its port, the probe. The
 * Cloudflare Access token is checked later, and only when the proxy must be
 * started (a running proxy holds its own). Throws `CONFIG_INVALID` naming
 * the option or variable, never a value. @internal
 */
export async function resolveSession(options: StartSessionOptions): Promise<ResolvedSession> {
  const env = options.env ?? process.env;
  const cwd = options.cwd === undefined ? operatorDirectory(env) : resolve(options.cwd);
  const identity = await resolveSessionIdentity(options, cwd);
  const admin: UniversalAuthCredentials = {
    clientId: requireSetting(SETTINGS.adminClientId, undefined, env, ADMIN_HINT),
    clientSecret: requireSetting(SETTINGS.adminClientSecret, undefined, env, ADMIN_HINT),
  };
  if (identity.projectId !== undefined && options.projectId !== undefined) {
    throw configInvalid(
      'projectId',
      'option',
      'cannot be combined with `manifest`',
      'The manifest entry names the project: pass one or the other.',
    );
  }
  const projectId = identity.projectId ?? requireSetting(SETTINGS.projectId, options.projectId, env, ADMIN_HINT);

  const port = resolveMcpPort(options.port, env);
  const mcp: EnableMcpOptions = { dir: options.dir, cwd, client: options.client, env, port };
  const target = await checkMcpConfig(mcp);
  const proxy = resolveProcessTarget({ port, pidFile: options.pidFile }, env);
  const dial = ['0.0.0.0', '::', ''].includes(proxy.host) ? '127.0.0.1' : proxy.host;

  const probeKey = readSetting(SETTINGS.probeKey, options.probeKey, env);
  const probePath = readSetting(SETTINGS.probePath, options.probePath, env) as string;
  const command = sessionCommand({
    ...identity,
    client: target.client,
    ...(options.dir === undefined ? {} : { dir: target.root }),
    ...(options.port === undefined ? {} : { port }),
  });
  return {
    env,
    mcp,
    target,
    proxy,
    proxyUrl: `http://${dial.includes(':') ? `[${dial}]` : dial}:${port}`,
    identity,
    projectId,
    admin,
    probe: probeKey === undefined ? undefined : { key: probeKey, path: probePath },
    proxyCommand: options.proxyCommand ?? { command: 'vault-proxy' },
    timeoutMs: positive(options.timeoutMs, 'timeoutMs', 30_000),
    startTimeoutMs: positive(options.startTimeoutMs, 'startTimeoutMs', 15_000),
    command,
  };
}
