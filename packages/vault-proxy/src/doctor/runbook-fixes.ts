/**
 * The fixes of docs/runbook.md (§Failure mode A–E, §Diagnosis), as the
 * doctor prints them. Kept in one place so the wording stays the runbook's;
 * each names the runbook section it comes from.
 * @internal
 */
export const RUNBOOK_FIX = {
  startProxy: (port: number) =>
    `Start the proxy: vault-proxy start --detach (docs/runbook.md §Session start). Verify: curl http://localhost:${port}/api/status returns 200.`,
  portTaken: (port: number) =>
    `Port ${port} is used by another program: set VAULT_PROXY_PORT=<other>, start the proxy there and re-run enable-vault-mcp enable (docs/runbook.md §Failure mode A).`,
  proxyNotAnswering: (port: number) =>
    `The recorded vault-proxy process does not answer on port ${port}: stop it (vault-proxy stop) and start it again (docs/runbook.md §Failure mode A).`,
  cfAccess:
    'Cloudflare Access refused the service token: refresh CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET from the vault (/MooseQuest/cloudflare/), make sure they are for this CF Access application and the WAF skip rule is active, then restart the proxy (docs/runbook.md §Failure mode B).',
  upstreamUnreachable:
    'The proxy is running but the vault is unreachable: check the Infisical Lightsail host health (docs/runbook.md §Diagnosis).',
  unexpectedStatus:
    'The vault answered unexpectedly: check the proxy log (next to its pid file) and the Infisical host (docs/runbook.md §Diagnosis).',
  identity:
    'Retrieve the current MCP_RO_CLIENT_SECRET from the vault at /MooseQuest/identities/infisical-identity-mcp-main-loop-trademaster/, update INFISICAL_MCP_CLIENT_SECRET (and INFISICAL_MCP_CLIENT_ID), and re-run enable-vault-mcp enable if needed (docs/runbook.md §Failure mode C).',
  missingIdentity:
    'Export INFISICAL_MCP_CLIENT_ID and INFISICAL_MCP_CLIENT_SECRET (docs/runbook.md §Session start), then run the doctor again (docs/runbook.md §Failure mode C).',
  outOfScope:
    'If the path is inside /MooseQuest/** and still refused, check that the additional privilege mcp-main-loop-read is attached to the MCP identity in Infisical admin. Paths outside /MooseQuest/** are refused on purpose: do not widen the identity (docs/runbook.md §Failure mode D).',
  probeNotFound:
    'No such key at the probe path: pass --probe-key / --probe-path (VAULT_PROBE_KEY / VAULT_PROBE_PATH) naming a key that exists.',
  missingProbe: 'Pass --probe-key (or set VAULT_PROBE_KEY) with a key you know exists under the probe path (docs/runbook.md §Diagnosis).',
  mcpConfig: (file: string) =>
    `Re-run the session start steps: enable-vault-mcp enable (writes ${file} pointing at this proxy), then reload the MCP client (quit and restart Claude Code, or /mcp) (docs/runbook.md §Failure mode E).`,
} as const;
