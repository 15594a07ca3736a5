import type { VaultModel } from '@raxx/vault-testkit';
import { expect } from 'vitest';
import { resolveConnection } from '../../src/connection/connection-options.js';
import { createInfisicalClient } from '../../src/infisical/infisical-client.js';
import { onboardIdentity } from '../../src/provision/onboard.js';
import type { OnboardOptions } from '../../src/provision/onboard-options.js';
import { SecretValue } from '../../src/secret-value.js';
import { type MswVault, useMswVault } from '../infisical/msw-vault.js';

export const IDENTITY = 'infisical-identity-mcp-test-agent';
export const AGENT = 'test-agent';
export const SCOPE = '/MooseQuest/app/**';
export const CREDS_PATH = `/MooseQuest/identities/${IDENTITY}`;
export const ID_KEY = 'TEST_AGENT_CLIENT_ID';
export const SECRET_KEY = 'TEST_AGENT_CLIENT_SECRET';

/** The environment a provisioning command reads (as the app would get it), from a model's seed. */
export function envOf(model: VaultModel, extra: Record<string, string> = {}): Record<string, string> {
  const { seed } = model;
  return {
    CF_ACCESS_CLIENT_ID: seed.cfAccessClientId,
    CF_ACCESS_CLIENT_SECRET: seed.cfAccessClientSecret,
    INFISICAL_CLIENT_ID: seed.admin.clientId,
    INFISICAL_CLIENT_SECRET: seed.admin.clientSecret,
    INFISICAL_PROJECT_ID: seed.projectId,
    ...extra,
  };
}

/**
 * Onboarding options for the test agent; no back-off waits. Step 10 is off
 * here: it needs real sockets (an in-process proxy in front of a fake vault),
 * see verify.test.ts.
 */
export function onboardOptions(overrides: OnboardOptions = {}): OnboardOptions {
  return { identityName: IDENTITY, agentName: AGENT, scope: SCOPE, retryDelayMs: 0, verify: false, ...overrides };
}

/** The stored client secret, as the model holds it. */
export function storedSecret(model: VaultModel, key = SECRET_KEY, path = CREDS_PATH) {
  return model.getSecretValue({ environment: 'prod', secretPath: path, secretKey: key });
}

/** Whether the stored credentials log in (direct, through msw or a fake vault's origin). */
export async function storedCredentialsLogIn(
  model: VaultModel,
  clientOptions: Parameters<typeof createInfisicalClient>[0] = {},
): Promise<boolean> {
  const id = model.getSecretValue({ environment: 'prod', secretPath: CREDS_PATH, secretKey: ID_KEY });
  const secret = storedSecret(model);
  if (!id || !secret) return false;
  const client = createInfisicalClient({
    connection: resolveConnection(
      { cfAccessClientId: model.seed.cfAccessClientId, cfAccessClientSecret: new SecretValue(model.seed.cfAccessClientSecret) },
      {},
    ),
    retries: 0,
    ...clientOptions,
  });
  try {
    await client.login({ clientId: id.value, clientSecret: new SecretValue(secret.value) });
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

/**
 * The state a complete onboarding must leave, exactly: one identity (org
 * no-access, universal auth), one non-revoked client secret and it is the
 * stored one, both keys stored, membership no-access, one read-only privilege.
 */
export function expectOnboardedState(model: VaultModel, scope = SCOPE): { identityId: string } {
  const identities = model.findIdentitiesByName(IDENTITY);
  expect(identities).toHaveLength(1);
  const identity = identities[0] as (typeof identities)[number];
  expect(identity.orgRole).toBe('no-access');
  expect(identity.authMethods).toContain('universal-auth');
  const active = model.listClientSecrets(identity.id);
  expect(active).toHaveLength(1);
  const stored = storedSecret(model);
  expect(stored).toBeDefined();
  expect(stored?.value.slice(0, 4)).toBe(active[0]?.prefix);
  expect(model.getSecretValue({ environment: 'prod', secretPath: CREDS_PATH, secretKey: ID_KEY })?.value).toMatch(/^[0-9a-f-]{36}$/);
  expect(model.getMembership(identity.id)?.roles).toEqual(['no-access']);
  const privileges = model.listPrivileges(identity.id);
  expect(privileges).toHaveLength(1);
  expect(privileges[0]?.slug).toBe('test-agent-read');
  expect(privileges[0]?.permissions).toEqual([
    expect.objectContaining({ subject: 'secrets', action: ['read'], conditions: { environment: 'prod', secretPath: { $glob: scope } } }),
  ]);
  return { identityId: identity.id };
}

/** {@link useOnboardVault}: the msw vault and this fixture's helpers, bound to the current test's model. */
export interface OnboardVault {
  readonly vault: MswVault;
  /** {@link envOf} the current model. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Onboard the test agent ({@link onboardOptions} with `overrides`) against the current model. */
  onboard(overrides?: OnboardOptions): ReturnType<typeof onboardIdentity>;
  /** {@link storedSecret} of the current model. */
  storedClientSecret(key?: string, path?: string): ReturnType<typeof storedSecret>;
  /** {@link expectOnboardedState} of the current model. */
  expectOnboarded(scope?: string): { identityId: string };
  /** {@link storedCredentialsLogIn} against the current model. */
  credentialsLogIn(clientOptions?: Parameters<typeof createInfisicalClient>[0]): Promise<boolean>;
}

/** Install msw for the file (see `useMswVault`; call at file top level), with the onboarding helpers bound to it. */
export function useOnboardVault(): OnboardVault {
  const vault = useMswVault();
  return {
    vault,
    env: (extra) => envOf(vault.model, extra),
    onboard: (overrides) => onboardIdentity(onboardOptions(overrides), envOf(vault.model)),
    storedClientSecret: (key, path) => storedSecret(vault.model, key, path),
    expectOnboarded: (scope) => expectOnboardedState(vault.model, scope),
    credentialsLogIn: (clientOptions) => storedCredentialsLogIn(vault.model, clientOptions),
  };
}
