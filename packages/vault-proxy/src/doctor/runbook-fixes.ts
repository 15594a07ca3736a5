import { CLOUDFLARE_HINTS } from '../cloudflare/failure-hints.js';
import { defaultPrivilegeSlug } from '../identity/identity-names.js';
import type { IdentityInUse } from './identity-in-use.js';

/** Where the probe read looked: key, folder, environment. @internal */
export interface ProbeWhere {
  readonly key: string;
  readonly path: string;
  readonly environment: string;
}

/** `the MCP identity <name>`, or how it is known when unnamed. */
function who(id: IdentityInUse): string {
  return id.identityName === undefined ? 'the MCP identity (the one INFISICAL_MCP_CLIENT_ID names)' : `the MCP identity ${id.identityName}`;
}

/** Where its stored client secret lives, as precisely as known. */
function storedSecret(id: IdentityInUse): string {
  const key = id.clientSecretKey ?? '<AGENT>_CLIENT_SECRET';
  const folder = id.credsPath ?? '<root>/identities/<identity-name>';
  return `${key} at ${folder}/`;
}

/** The rotate command for this identity, placeholders where a name is unknown. */
function rotateCommand(id: IdentityInUse): string {
  return `vault-provision rotate --identity-name ${id.identityName ?? '<identity-name>'} --agent-name ${id.agentName ?? '<agent-name>'}`;
}

/** Its additional privilege: the slug when given, else provisioning's default named as such. */
function privilege(id: IdentityInUse): string {
  if (id.slug !== undefined) return `its additional privilege ${id.slug}`;
  const slug = id.agentName === undefined ? '<agent-name>-read' : defaultPrivilegeSlug(id.agentName);
  return `its additional privilege (${slug} when vault-provision made it without --slug)`;
}

/** How to let the doctor name the identity, when it could not. */
function nameIt(id: IdentityInUse): string {
  return id.source === 'none' ? ' To have the doctor name it, pass --identity-name and --agent-name, or --manifest.' : '';
}

/**
 * The fixes of docs/runbook.md (§Failure mode A–E, §Diagnosis), as the
 * doctor prints them. Kept in one place so the wording stays the runbook's;
 * each names the runbook section it comes from, and every fix about the MCP
 * identity names the identity in use (its creds path, keys and privilege as
 * far as known), never the runbook's production one.
 * @internal
 */
export const RUNBOOK_FIX = {
  startProxy: (port: number) =>
    `Start the proxy: vault-proxy start --detach (docs/runbook.md §Session start). Verify: curl http://localhost:${port}/api/status returns 200.`,
  portTaken: (port: number) =>
    `Port ${port} is used by another program: set VAULT_PROXY_PORT=<other>, start the proxy there and re-run enable-vault-mcp enable (docs/runbook.md §Failure mode A).`,
  proxyNotAnswering: (port: number) =>
    `The recorded vault-proxy process does not answer on port ${port}: stop it (vault-proxy stop) and start it again (docs/runbook.md §Failure mode A).`,
  cfAccess: CLOUDFLARE_HINTS.refresh,
  upstreamUnreachable:
    'The proxy is running but the vault is unreachable: check the Infisical host’s health (Lightsail) and the network (docs/runbook.md §Diagnosis).',
  unexpectedStatus:
    'The vault answered unexpectedly: check the proxy log (next to its pid file) and the Infisical host (docs/runbook.md §Diagnosis).',
  identity: (id: IdentityInUse) =>
    `The client secret of ${who(id)} was rotated or revoked: fetch the current one (${storedSecret(id)}) as docs/runbook.md §Session start does, export it as INFISICAL_MCP_CLIENT_SECRET, and restart the agent session; if the stored one no longer works either, issue a new one with ${rotateCommand(id)} (docs/runbook.md §Failure mode C).${nameIt(id)}`,
  missingIdentity: (id: IdentityInUse) =>
    `Export INFISICAL_MCP_CLIENT_ID and INFISICAL_MCP_CLIENT_SECRET for ${who(id)} (stored as ${id.clientIdKey ?? '<AGENT>_CLIENT_ID'} and ${storedSecret(id)}; docs/runbook.md §Session start), then run the doctor again (docs/runbook.md §Failure mode C).`,
  outOfScope: (id: IdentityInUse, probe: ProbeWhere) =>
    `${probe.path} is refused to ${who(id)}. If it should be readable, check in Infisical admin that ${privilege(id)} is still attached and its secretPath covers ${probe.path} (read, ${probe.environment}); a secret whose value references (\${…}) one out of scope is refused the same way. Paths outside its scope are refused on purpose: do not widen the identity; an agent that needs another scope gets its own (docs/runbook.md §Failure mode D, §Onboarding).${nameIt(id)}`,
  folderMissing: (id: IdentityInUse, probe: ProbeWhere) =>
    `The folder ${probe.path} does not exist in ${probe.environment}; a missing folder answers 404 whoever asks, so this says nothing about ${who(id)}'s scope. Pass --probe-path (VAULT_PROBE_PATH) naming an existing folder in its scope, and --probe-key (VAULT_PROBE_KEY) a key there (docs/runbook.md §Diagnosis).`,
  probeNotFound: (probe: ProbeWhere) =>
    `No key ${probe.key} in ${probe.path} (${probe.environment}): pass --probe-key / --probe-path (VAULT_PROBE_KEY / VAULT_PROBE_PATH) naming a key that exists (docs/runbook.md §Diagnosis).`,
  missingProbe: (id: IdentityInUse, probePath: string) =>
    `Set VAULT_PROBE_KEY (or pass --probe-key) to a key ${who(id)} may read in ${probePath} (VAULT_PROBE_PATH / --probe-path), so the doctor checks a read end to end (docs/runbook.md §Diagnosis).`,
  mcpConfig: (file: string) =>
    `Re-run the session start steps: enable-vault-mcp enable (writes ${file} pointing at this proxy), then reload the MCP client (quit and restart Claude Code, or /mcp) (docs/runbook.md §Failure mode E).`,
} as const;
