/**
 * The runbook's fixes (§Known failure modes, §How to diagnose), as the
 * doctor prints them. Kept in one place so the wording stays the runbook's.
 * @internal
 */
export const RUNBOOK_FIX = {
  startProxy: (port: number) =>
    `Start the proxy: vault-proxy start (runbook §Session start 2). Verify: curl http://localhost:${port}/api/status returns 200.`,
  portTaken: (port: number) =>
    `Port ${port} is used by another program: set VAULT_PROXY_PORT=<other>, start the proxy there and re-run enable-vault-mcp (runbook failure mode A).`,
  proxyNotAnswering: (port: number) =>
    `The recorded vault-proxy process does not answer on port ${port}: stop it (vault-proxy stop) and start it again (runbook failure mode A).`,
  cfAccess:
    'Cloudflare Access refused the service token: refresh CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET from the vault (/MooseQuest/cloudflare/, docs/ops/runbooks/cf-access.md), make sure they are for this CF Access application and the WAF skip rule is active (docs/ops/runbooks/vault-access.md §CF WAF skip rule), then restart the proxy.',
  upstreamUnreachable:
    'The proxy is running but the vault is unreachable: check the Infisical Lightsail host health (docs/ops/runbooks/vault-access.md).',
  unexpectedStatus:
    'The vault answered unexpectedly: check the proxy log (vault-proxy status) and the Infisical host (docs/ops/runbooks/vault-access.md).',
  identity:
    'Retrieve the current MCP_RO_CLIENT_SECRET from the vault at /MooseQuest/identities/infisical-identity-mcp-main-loop-trademaster/, update INFISICAL_MCP_CLIENT_SECRET (and INFISICAL_MCP_CLIENT_ID), and re-run enable-vault-mcp if needed (runbook failure mode C).',
  missingIdentity:
    'Export INFISICAL_MCP_CLIENT_ID and INFISICAL_MCP_CLIENT_SECRET (runbook §Session start 3), then run the doctor again (runbook failure mode C).',
  outOfScope:
    'If the path is inside /MooseQuest/** and still refused, check that the additional privilege mcp-main-loop-read is attached to the MCP identity in Infisical admin. Paths outside /MooseQuest/** are refused on purpose: do not widen the identity (runbook failure mode D).',
  probeNotFound:
    'No such key at the probe path: pass --probe-key / --probe-path (VAULT_PROBE_KEY / VAULT_PROBE_PATH) naming a key that exists.',
  missingProbe:
    'Pass --probe-key (or set VAULT_PROBE_KEY) with a key you know exists under the probe path (runbook §How to diagnose step 4).',
  mcpConfig: (file: string) =>
    `Re-run the session start steps: enable-vault-mcp enable (writes ${file} pointing at this proxy), then reload the MCP client (quit and restart Claude Code, or /mcp) (runbook failure mode E).`,
} as const;
