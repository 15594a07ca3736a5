import { configInvalid, VaultProxyError } from '../errors.js';
import { agentKeyPrefix } from '../identity/identity-names.js';
import { createInfisicalClient, credentialsRefusedOn, type InfisicalClient, type SecretRef } from '../infisical/index.js';
import type { SessionCredentials } from './session-exports.js';
import type { SessionIdentity } from './session-identity.js';
import type { ResolvedSession } from './session-options.js';
import type { SessionSteps } from './session-steps.js';

/** Log in as the admin identity through the proxy; refused credentials name the variables to fix, never a value. */
async function logInAsAdmin(client: InfisicalClient, session: ResolvedSession): Promise<void> {
  const refused = (error: unknown) =>
    configInvalid(
      'INFISICAL_CLIENT_SECRET',
      'env',
      'was refused (401) when the session logged in as the admin identity through the proxy',
      'Export the admin identity’s current INFISICAL_CLIENT_ID / INFISICAL_CLIENT_SECRET (docs/runbook.md §Before you start), then run this again.',
      error,
    );
  await client.authenticate(session.admin).catch((error: unknown) => {
    throw credentialsRefusedOn(error) ? refused(error) : error;
  });
}

/** The agent names whose stored keys a folder holds (`MCP_RO_CLIENT_ID` + `…_SECRET` → `mcp-ro`): key names only. */
function agentsIn(keys: readonly string[]): string[] {
  return keys
    .filter((k) => k.endsWith('_CLIENT_SECRET') && keys.includes(k.replace(/_SECRET$/, '_ID')))
    .map((k) => k.slice(0, -'_CLIENT_SECRET'.length))
    .map((prefix) => prefix.toLowerCase().replaceAll('_', '-'))
    .filter((name) => /^[a-z]/.test(name) && agentKeyPrefix(name) !== '');
}

/**
 * Why the stored credentials are not where the identity's names say, from
 * what the folder holds (key names only): a wrong identity name or folder
 * (no folder), a wrong agent name (other keys there), or a secret never stored.
 */
async function notStored(
  client: InfisicalClient,
  identity: SessionIdentity,
  where: Omit<SecretRef, 'secretKey'>,
): Promise<VaultProxyError> {
  const { credsPath, environment, clientIdKey, clientSecretKey, identityName } = identity;
  const keys = ((await client.findSecretsIn(where)) ?? []).map((s) => s.secretKey);
  const onboard = `Onboard it first: vault-provision onboard --identity-name ${identityName} --agent-name <agent> --scope '<glob>'.`;
  if (identity.source === 'manifest') {
    const problem = `names credentials that are not stored: ${credsPath} (${environment}) holds ${keys.length === 0 ? 'nothing' : keys.join(', ')}, not ${clientIdKey} and ${clientSecretKey}`;
    return configInvalid(
      'manifest',
      'option',
      problem,
      'Register the identity again (vault-provision onboard --manifest), or name it with --agent-name instead.',
    );
  }
  if (keys.length === 0) {
    const field = identity.credsPath.endsWith(`/${identityName}`) ? 'identityName' : 'credsPath';
    return configInvalid(
      field,
      'option',
      `names no stored credentials: ${credsPath} holds no secret in ${environment}`,
      `Check the name (it names the folder, as onboarding stored it). ${onboard}`,
    );
  }
  if (!keys.includes(clientIdKey)) {
    const agents = agentsIn(keys);
    const hint =
      agents.length > 0
        ? `${credsPath} holds the keys of agent name ${agents.join(', ')}: pass --agent-name ${agents[0]}.`
        : `${credsPath} holds ${keys.join(', ')}: pass the agent name the identity was onboarded with.`;
    return configInvalid('agentName', 'option', `does not name the stored keys: ${credsPath} holds no ${clientIdKey}`, hint);
  }
  return new VaultProxyError(
    'VERIFY_FAILED',
    `No client secret is stored at ${credsPath}/${clientSecretKey} (${environment}). Issue and store one: vault-provision rotate --identity-name ${identityName} --agent-name ${identity.agentName}, then run this again.`,
    { details: { credsPath, key: clientSecretKey, hint: 'Rotate the client secret (docs/runbook.md §Rotation).' } },
  );
}

/**
 * Runbook step 3: log in as the admin identity through the proxy and read
 * the MCP identity's `<AGENT>_CLIENT_ID` / `<AGENT>_CLIENT_SECRET` from its
 * credentials folder. The values stay in memory (`SecretValue`); a missing
 * key says which name is wrong, from the key names the folder holds. @internal
 */
export async function readStoredCredentials(session: ResolvedSession, proxyUrl: string, steps: SessionSteps): Promise<SessionCredentials> {
  const { identity } = session;
  const where = { workspaceId: session.projectId, environment: identity.environment, secretPath: identity.credsPath };
  const client = createInfisicalClient({ proxyUrl, timeoutMs: session.timeoutMs });
  try {
    await logInAsAdmin(client, session);
    const clientId = await client.findSecret({ ...where, secretKey: identity.clientIdKey });
    const clientSecret = clientId && (await client.findSecret({ ...where, secretKey: identity.clientSecretKey }));
    if (!clientId || !clientSecret) throw await notStored(client, identity, where);
    const detail = `read ${identity.clientIdKey} and ${identity.clientSecretKey} from ${identity.credsPath} (${identity.environment}) through the proxy; held in memory only`;
    steps.record('credentials', 'done', detail);
    return { clientId: clientId.secretValue, clientSecret: clientSecret.secretValue };
  } finally {
    client.close();
  }
}
