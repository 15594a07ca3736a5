import { defaultCredsPath } from '../identity/identity-names.js';
import type { McpClient } from './mcp-client.js';

/** What {@link sessionCommand} needs: how the identity is named, and the session's own choices when not the defaults. */
export interface SessionCommandOptions {
  /** The machine identity. */
  readonly identityName: string;
  /** Its agent name (the stored keys' prefix). Give this or `manifest`. */
  readonly agentName?: string;
  /** A rotation manifest holding its entry (absolute path). */
  readonly manifest?: string;
  /** Environment of the stored credentials; named only when not `prod`. */
  readonly environment?: string;
  /** The root onboarding was given (`--root`); only decides whether the credentials folder is the default one. */
  readonly root?: string;
  /** Folder of the stored credentials; named only when not `/MooseQuest/identities/<identityName>`. */
  readonly credsPath?: string;
  /** MCP client; named only when not `claude`. */
  readonly client?: McpClient;
  /** Directory given to the session (absolute), if any. */
  readonly dir?: string;
  /** Port given to the session, if any. */
  readonly port?: number;
}

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * `value` as one POSIX shell word: as it is when it holds only characters no
 * shell treats specially, else in single quotes (each `'` written `'\''`),
 * inside which `$`, backquotes, `\` and newlines are literal.
 *
 * @example
 * ```ts
 * shellQuote("it's $HOME"); // 'it'\''s $HOME'
 * ```
 */
export function shellQuote(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `enable-vault-mcp session …` command line that starts a session for an
 * identity, shell-quoted: printed at the end of `vault-provision onboard` and
 * in the session's own next steps (with `--print-env` added there). Options
 * at their defaults are left out, so the line stays the one to type.
 *
 * @example
 * ```ts
 * sessionCommand({ identityName: 'infisical-identity-mcp-billing-bot', agentName: 'billing-bot' });
 * // enable-vault-mcp session --identity-name infisical-identity-mcp-billing-bot --agent-name billing-bot
 * ```
 */
export function sessionCommand(options: SessionCommandOptions): string {
  const words = ['enable-vault-mcp', 'session', '--identity-name', options.identityName];
  if (options.manifest !== undefined) words.push('--manifest', options.manifest);
  else {
    if (options.agentName !== undefined) words.push('--agent-name', options.agentName);
    if (options.environment !== undefined && options.environment !== 'prod') words.push('--environment', options.environment);
    const given = options.credsPath ?? (options.root === undefined ? undefined : defaultCredsPath(options.identityName, options.root));
    const credsPath = given?.replace(/(.)\/$/, '$1');
    if (credsPath !== undefined && credsPath !== defaultCredsPath(options.identityName)) words.push('--creds-path', credsPath);
  }
  if (options.client !== undefined && options.client !== 'claude') words.push('--client', options.client);
  if (options.dir !== undefined) words.push('--dir', options.dir);
  if (options.port !== undefined) words.push('--port', String(options.port));
  return words.map(shellQuote).join(' ');
}
