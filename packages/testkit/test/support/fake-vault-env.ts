/** The keys of a fake vault's env file (`FakeVault.env`, the bin's `--env-file`), sorted. */
export const FAKE_VAULT_ENV_KEYS: readonly string[] = [
  'CF_ACCESS_CLIENT_ID',
  'CF_ACCESS_CLIENT_SECRET',
  'INFISICAL_CLIENT_ID',
  'INFISICAL_CLIENT_SECRET',
  'INFISICAL_MCP_CLIENT_ID',
  'INFISICAL_MCP_CLIENT_SECRET',
  'INFISICAL_PROJECT_ID',
  'VAULT_PROBE_KEY',
  'VAULT_PROBE_PATH',
  'VAULT_PROXY_CA_FILE',
  'VAULT_PROXY_CONNECT_TO',
  'VAULT_PROXY_UPSTREAM',
].sort();
