/**
 * Every failure this package reports, as a stable string code.
 *
 * Codes are grouped by the part of the package that raises them. Apps map
 * them to exit codes in one place (`exitCodeFor`); the proxy maps the
 * request-path ones to HTTP answers (`proxyErrorStatus`).
 */
export type VaultProxyErrorCode =
  // configuration (exit code 2)
  | 'CONFIG_INVALID'
  // the proxy process (exit code 3 for a taken port)
  | 'PORT_IN_USE'
  | 'LISTEN_FAILED'
  | 'NOT_RUNNING'
  | 'PID_NOT_VAULT_PROXY'
  | 'STOP_FAILED'
  // the request path (answered as HTTP, never thrown to a caller)
  | 'UPSTREAM_UNREACHABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_ABORTED'
  | 'UPSTREAM_PROTOCOL_ERROR'
  | 'REQUEST_INVALID'
  | 'REQUEST_HEADERS_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'CF_ACCESS_DENIED'
  | 'CF_ACCESS_LOGIN_REDIRECT'
  | 'HOST_NOT_ALLOWED'
  | 'CROSS_ORIGIN_REFUSED'
  | 'METHOD_NOT_ALLOWED'
  | 'TARGET_NOT_ALLOWED'
  | 'NOT_FOUND'
  // the Infisical client
  | 'INFISICAL_HTTP'
  | 'INFISICAL_NETWORK'
  | 'INFISICAL_RESPONSE_INVALID'
  // provisioning
  | 'PROVISION_REFUSED'
  | 'PROVISION_STEP_FAILED'
  | 'PROVISION_CONFLICT'
  | 'VERIFY_FAILED'
  | 'MANIFEST_INVALID'
  // MCP client configuration
  | 'MCP_CONFIG_MALFORMED'
  | 'MCP_CONFIG_TRACKED'
  | 'MCP_CONFIG_REFUSED'
  | 'MCP_CONFIG_IO'
  // diagnosis
  | 'DOCTOR_FAILED';

/** Extra, secret-free facts an error may carry for callers and printers. */
export interface VaultProxyErrorDetails {
  /** The option or environment variable at fault (never its value). */
  readonly field?: string;
  /** For configuration errors: whether `field` is a library option (a CLI names its flag) or an environment variable. */
  readonly source?: 'option' | 'env';
  /** For configuration errors: what is wrong with the value, as a predicate ("must be an integer from 0 to 65535"). */
  readonly problem?: string;
  /** An HTTP status involved, upstream's or the proxy's own. */
  readonly status?: number;
  /** The runbook failure mode this points at (`A`–`E`). */
  readonly failureMode?: 'A' | 'B' | 'C' | 'D' | 'E';
  /** What to do next, in one sentence. */
  readonly hint?: string;
  /** Anything else that is safe to print. */
  readonly [key: string]: unknown;
}

/**
 * The one error class of `@raxx/vault-proxy`.
 *
 * Messages say what failed and what to do; they never contain a secret
 * value. Wrap foreign errors (axios, `node:net`) at the boundary and keep
 * them as `cause`.
 */
export class VaultProxyError extends Error {
  /** Stable, machine-readable code. */
  readonly code: VaultProxyErrorCode;
  /** Secret-free facts about the failure. */
  readonly details: VaultProxyErrorDetails;

  constructor(code: VaultProxyErrorCode, message: string, options: { cause?: unknown; details?: VaultProxyErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VaultProxyError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/**
 * A `CONFIG_INVALID` error for one option or environment variable. The
 * message is `<subject> <problem>. <hint>`, the subject being "option
 * \`name\`" or the variable; `details` keeps the parts so a CLI can name
 * the flag the user typed instead (see `@raxx/cli-kit`). Never pass a value.
 */
export function configInvalid(field: string, source: 'option' | 'env', problem: string, hint: string, cause?: unknown): VaultProxyError {
  const subject = source === 'option' ? `option \`${field}\`` : field;
  return new VaultProxyError('CONFIG_INVALID', `${subject} ${problem}. ${hint}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { field, source, problem, hint },
  });
}

/** Type guard that also narrows on an optional code. */
export function isVaultProxyError(error: unknown, code?: VaultProxyErrorCode): error is VaultProxyError {
  return error instanceof VaultProxyError && (code === undefined || error.code === code);
}

/**
 * The process exit code an app uses for an error: 2 for configuration,
 * 3 for a taken port (runbook failure mode A), 1 for everything else.
 */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof VaultProxyError)) return 1;
  switch (error.code) {
    case 'CONFIG_INVALID':
    case 'PROVISION_REFUSED':
    case 'MANIFEST_INVALID':
    case 'MCP_CONFIG_REFUSED':
      return 2;
    case 'PORT_IN_USE':
      return 3;
    default:
      return 1;
  }
}
