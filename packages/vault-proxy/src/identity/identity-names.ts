/**
 * How a machine identity's things are named: the keys its credentials are
 * stored under, the folder they live in, its additional privilege. Defined
 * once here, so what provisioning creates and what the doctor names in a
 * fix are the same names.
 */

/** The configured root every scope lies in, unless `--root` says otherwise. */
export const DEFAULT_IDENTITY_ROOT = '/MooseQuest';

/** Make any text a valid slug (lowercase, runs of other characters → one hyphen, trimmed, ≤ 60). */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
}

/** The stored-key prefix for an agent name: `mcp-ro` → `MCP_RO`. */
export function agentKeyPrefix(agentName: string): string {
  return agentName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The keys an agent's universal-auth credentials are stored under: `<AGENT>_CLIENT_ID` / `<AGENT>_CLIENT_SECRET`. */
export function storedKeyNames(agentName: string): { readonly clientIdKey: string; readonly clientSecretKey: string } {
  const prefix = agentKeyPrefix(agentName);
  return { clientIdKey: `${prefix}_CLIENT_ID`, clientSecretKey: `${prefix}_CLIENT_SECRET` };
}

/** The folder an identity's credentials are stored in by default: `<root>/identities/<identity-name>`. */
export function defaultCredsPath(identityName: string, root: string = DEFAULT_IDENTITY_ROOT): string {
  return `${root === '/' ? '' : root}/identities/${identityName}`;
}

/** The slug provisioning gives an agent's additional privilege unless told otherwise: `<agent-name>-read`. */
export function defaultPrivilegeSlug(agentName: string): string {
  return slugify(`${agentName}-read`);
}

/**
 * The agent name that gives a stored client-id key, lower-kebab: `MCP_RO_CLIENT_ID` → `mcp-ro`
 * (`--agent-name mcp-ro` stores and rotates the same keys); `undefined` for a key of another shape.
 */
export function agentNameOfKey(clientIdKey: string): string | undefined {
  const prefix = /^([A-Z0-9]+(?:_[A-Z0-9]+)*)_CLIENT_ID$/.exec(clientIdKey)?.[1];
  return prefix === undefined ? undefined : prefix.toLowerCase().replace(/_/g, '-');
}
