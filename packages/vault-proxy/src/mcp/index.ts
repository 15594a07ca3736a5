export { type CheckMcpOptions, type CheckMcpResult, checkMcp, MCP_REQUIRED_VARIABLES, type McpEntryState } from './check-mcp.js';
export { type DisableMcpOptions, type DisableMcpResult, disableMcp } from './disable-mcp.js';
export { type EnableMcpResult, enableMcp, type McpVariableState } from './enable-mcp.js';
export type { GitIgnoreOutcome } from './git-repo.js';
export { literalSecretKind, looksLikeLiteralSecret } from './literal-secret.js';
export { isMcpClient, MCP_CLIENT_NAMES, MCP_CLIENTS, type McpClient, type McpClientLayout, parseEnvReference } from './mcp-client.js';
export {
  diffMcpEntry,
  formatMcpConfig,
  getMcpEntry,
  type McpConfig,
  mergeMcpConfig,
  otherMcpServers,
  parseMcpConfig,
  type RemoveMcpEntryResult,
  removeMcpEntry,
} from './mcp-config.js';
export { type RemoveMcpEntryTextResult, removeMcpEntryFromText, setMcpEntryInText } from './mcp-config-edit.js';
export {
  buildMcpServerEntry,
  DEFAULT_MCP_TOOLS,
  DEFAULT_PROXY_PORT,
  INFISICAL_MCP_PACKAGE,
  INFISICAL_MCP_TOOLS,
  type InfisicalMcpTool,
  MCP_CLIENT_ID_VAR,
  MCP_CLIENT_SECRET_VAR,
  MCP_SERVER_NAME,
  type McpServerEntry,
  type McpServerEntryOptions,
  READ_ONLY_MCP_TOOLS,
  referencedVariables,
} from './mcp-server-entry.js';
export type { EnableMcpOptions } from './mcp-settings.js';
export type { McpEnv, McpTargetOptions } from './mcp-target.js';
export { type McpTarget, resolveMcpTarget } from './mcp-target.js';
export { type McpEntryReading, readMcpEntry } from './read-mcp-entry.js';
export { type SessionCommandOptions, sessionCommand, shellQuote } from './session-command.js';
export { credentialExportLines, type SessionCredentials } from './session-exports.js';
export type { SessionIdentity, SessionIdentityOptions } from './session-identity.js';
export type { StartSessionOptions, VaultProxyCommand } from './session-options.js';
export type { SessionProxy } from './session-proxy.js';
export { SESSION_STEPS, type SessionStep, type SessionStepId, type SessionStepListener, type SessionStepStatus } from './session-steps.js';
export type { SessionVerification } from './session-verify.js';
export { type StartSessionResult, startSession } from './start-session.js';
