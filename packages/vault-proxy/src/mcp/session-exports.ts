import type { SecretValue } from '../secret-value.js';
import { MCP_CLIENT_ID_VAR, MCP_CLIENT_SECRET_VAR } from './mcp-server-entry.js';
import { shellQuote } from './session-command.js';

/** The MCP identity's universal-auth credentials, held in memory only (both print as `[redacted]`). */
export interface SessionCredentials {
  readonly clientId: SecretValue;
  readonly clientSecret: SecretValue;
}

/**
 * The credentials as the two lines `export INFISICAL_MCP_CLIENT_ID=…` and
 * `export INFISICAL_MCP_CLIENT_SECRET=…`, shell-quoted, for `eval` in a POSIX
 * shell (the convention of `ssh-agent -s`). The variables are the ones the
 * MCP config references. This reveals the values: hand the lines to the
 * shell's standard output and nowhere else.
 *
 * @example
 * ```ts
 * for (const line of credentialExportLines(result.credentials)) process.stdout.write(`${line}\n`);
 * // then: eval "$(enable-vault-mcp session … --print-env)"
 * ```
 */
export function credentialExportLines(credentials: SessionCredentials): string[] {
  return [
    `export ${MCP_CLIENT_ID_VAR}=${shellQuote(credentials.clientId.reveal())}`,
    `export ${MCP_CLIENT_SECRET_VAR}=${shellQuote(credentials.clientSecret.reveal())}`,
  ];
}
