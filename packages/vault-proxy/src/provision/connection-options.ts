import { type ConnectionOptions, type ResolvedConnection, resolveConnection } from '../connection/connection-options.js';
import type { InfisicalClientOptions, UniversalAuthCredentials } from '../infisical/index.js';
import type { ProxyOptions } from '../proxy/index.js';
import type { SecretValue } from '../secret-value.js';
import type { Env } from '../settings/env.js';
import { requireSetting } from '../settings/read-setting.js';
import { SETTINGS } from '../settings/settings-table.js';

/**
 * How provisioning reaches the vault and who it acts as: the shared
 * {@link ConnectionOptions} plus the admin identity and the project. Unset
 * fields are read from their environment variables (the settings table);
 * secrets only ever come from there or from a `SecretValue`, never a flag.
 */
export interface VaultConnectionOptions extends ConnectionOptions {
  /** Client id of the admin machine identity. Required (`INFISICAL_CLIENT_ID`). */
  adminClientId?: string;
  /** Client secret of the admin machine identity. Required (`INFISICAL_CLIENT_SECRET`). */
  adminClientSecret?: SecretValue;
  /** The Infisical project id. Required (`INFISICAL_PROJECT_ID`). */
  projectId?: string;
  /** Milliseconds one vault request may take. Default `30000`. */
  timeoutMs?: number;
  /** Retries of idempotent vault calls after 429/5xx. Default `2`. */
  retries?: number;
  /** Base back-off between retries in milliseconds. Default `250`. */
  retryDelayMs?: number;
}

/** Connection options after environment, defaults and validation. @internal */
export interface ResolvedVaultConnection {
  /** How the vault is reached (resolved once; the client and the in-process proxy share it). */
  readonly connection: ResolvedConnection;
  /** Options for the admin's direct client. */
  readonly client: InfisicalClientOptions;
  /** Options for an in-process proxy in front of the same vault. */
  readonly proxy: ProxyOptions;
  readonly admin: UniversalAuthCredentials;
  readonly projectId: string;
}

const ADMIN_HINT =
  'Export the admin machine identity INFISICAL_CLIENT_ID / INFISICAL_CLIENT_SECRET and INFISICAL_PROJECT_ID (docs/runbook.md §Onboarding).';

/** Resolve and validate where the vault is and the admin/Cloudflare credentials. Throws `CONFIG_INVALID` naming the field. @internal */
export function resolveVaultConnection(options: VaultConnectionOptions, env: Env): ResolvedVaultConnection {
  const connection = resolveConnection(options, env);
  const admin: UniversalAuthCredentials = {
    clientId: requireSetting(SETTINGS.adminClientId, options.adminClientId, env, ADMIN_HINT),
    clientSecret: requireSetting(SETTINGS.adminClientSecret, options.adminClientSecret, env, ADMIN_HINT),
  };
  const projectId = requireSetting(SETTINGS.projectId, options.projectId, env, ADMIN_HINT);
  return {
    connection,
    client: {
      connection,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    },
    proxy: { connection, host: '127.0.0.1', port: 0, logLevel: 'silent' },
    admin,
    projectId,
  };
}
