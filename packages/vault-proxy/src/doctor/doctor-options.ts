import { VaultProxyError } from '../errors.js';
import type { McpClient } from '../mcp/index.js';
import { type ProcessTarget, resolveProcessTarget } from '../process/index.js';
import { SecretValue } from '../secret-value.js';
import type { IdentityInUseOptions } from './identity-in-use.js';

/** The project of the vault this toolset serves (`raxx-secrets`), as docs/runbook.md names it. */
export const RUNBOOK_PROJECT_ID = '29b77751-f761-4afa-b3fa-2c842988f95c';

/**
 * Options of {@link runDoctor}. Unset fields come from the environment, then
 * the defaults. The identity fields (`identityName`, `agentName`, `credsPath`,
 * `slug`, `manifest`) only name the MCP identity in use in the fixes.
 */
export interface DoctorOptions extends IdentityInUseOptions {
  /** The proxy's port. Default `VAULT_PROXY_PORT`, then `2019`. */
  port?: number | string;
  /** The proxy's bind address. Default `VAULT_PROXY_HOST`, then `127.0.0.1`. */
  host?: string;
  /** The proxy's pid file. Default `VAULT_PROXY_PID_FILE`, then the per-port default. */
  pidFile?: string;
  /** The MCP identity's universal-auth client id. Default `INFISICAL_MCP_CLIENT_ID`. */
  mcpClientId?: string;
  /** The MCP identity's universal-auth client secret. Default `INFISICAL_MCP_CLIENT_SECRET`. */
  mcpClientSecret?: string | SecretValue;
  /** Project of the probe secret. Default `INFISICAL_PROJECT_ID`, then `raxx-secrets` (`29b77751-…`). */
  projectId?: string;
  /** Environment slug of the probe secret. Default `prod`. */
  environment?: string;
  /** A key known to exist and to be readable by the MCP identity. Default `VAULT_PROBE_KEY`; required for check D. */
  probeKey?: string;
  /** Folder of the probe key. Default `VAULT_PROBE_PATH`, then `/MooseQuest/`. */
  probePath?: string;
  /** Directory whose MCP config check E reads. Default: the git top level of `cwd`. */
  dir?: string;
  /** Directory the command started from. Default `INIT_CWD`, else `process.cwd()`. */
  cwd?: string;
  /** MCP client whose config check E reads. Default `claude`. */
  client?: McpClient;
  /** Milliseconds each request may take. Default `5000`. */
  timeoutMs?: number;
  /** Environment to read. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Doctor options after defaults. @internal */
export interface ResolvedDoctorOptions {
  readonly target: ProcessTarget;
  readonly proxyUrl: string;
  readonly identity: { readonly clientId: string; readonly clientSecret: SecretValue } | undefined;
  /** The configured client id, even without its secret (it finds the identity's rotation-manifest entry). */
  readonly mcpClientId: string | undefined;
  readonly projectId: string;
  readonly environment: string;
  readonly probeKey: string | undefined;
  readonly probePath: string;
  readonly timeoutMs: number;
}

function text(value: string | undefined): string | undefined {
  const t = value?.trim();
  return t === undefined || t === '' ? undefined : t;
}

/** Resolve doctor options. Throws `CONFIG_INVALID` naming the option, never its value. @internal */
export function resolveDoctorOptions(options: DoctorOptions): ResolvedDoctorOptions {
  const env = options.env ?? process.env;
  const target = resolveProcessTarget({ port: options.port, host: options.host, pidFile: options.pidFile }, env);
  const dial = target.host === '0.0.0.0' || target.host === '::' || target.host === '' ? '127.0.0.1' : target.host;
  const proxyUrl = `http://${dial.includes(':') ? `[${dial}]` : dial}:${target.port}`;
  const clientId = text(options.mcpClientId) ?? text(env.INFISICAL_MCP_CLIENT_ID);
  const rawSecret = options.mcpClientSecret instanceof SecretValue ? options.mcpClientSecret.reveal() : options.mcpClientSecret;
  const clientSecret = text(rawSecret) ?? text(env.INFISICAL_MCP_CLIENT_SECRET);
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new VaultProxyError('CONFIG_INVALID', 'option `timeoutMs` must be a positive integer.', { details: { field: 'timeoutMs' } });
  }
  const probePath = text(options.probePath) ?? text(env.VAULT_PROBE_PATH) ?? '/MooseQuest/';
  if (!probePath.startsWith('/')) {
    throw new VaultProxyError('CONFIG_INVALID', 'The probe path must start with "/". Pass --probe-path like /MooseQuest/.', {
      details: { field: options.probePath === undefined ? 'VAULT_PROBE_PATH' : 'probePath' },
    });
  }
  return {
    target,
    proxyUrl,
    identity: clientId && clientSecret ? { clientId, clientSecret: new SecretValue(clientSecret) } : undefined,
    mcpClientId: clientId,
    projectId: text(options.projectId) ?? text(env.INFISICAL_PROJECT_ID) ?? RUNBOOK_PROJECT_ID,
    environment: text(options.environment) ?? 'prod',
    probeKey: text(options.probeKey) ?? text(env.VAULT_PROBE_KEY),
    probePath,
    timeoutMs,
  };
}
