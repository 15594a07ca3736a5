import { expect, it } from 'vitest';
import type { StepReport } from '../../src/provision/step-report.js';
import { failure } from '../support/failure.js';
import { CREDS_PATH, ID_KEY, IDENTITY, SECRET_KEY, useOnboardVault } from './onboard-fixture.js';
import { describeEachServer } from './server-matrix.js';

const { vault, onboard, storedClientSecret, expectOnboarded, credentialsLogIn } = useOnboardVault();

/**
 * Arm the server's secret-detection policy over the credentials folder once `after` has been reported.
 * The threshold is 3, not the server's 3.7: the fake issues random 64-hex client secrets, whose
 * entropy reaches 3.7 or less about once in a hundred draws; 3 is never reached in practice.
 */
function armPolicyAfter(after: string) {
  return (report: StepReport) => {
    if (report.id === after && report.status !== 'failed')
      vault.model.configure({ secretDetection: { paths: [`${CREDS_PATH}/**`, CREDS_PATH], entropy: 3 } });
  };
}

function secretsOfIdentity() {
  const [identity] = vault.model.findIdentitiesByName(IDENTITY);
  return vault.model.listClientSecrets(identity?.id as string, { includeRevoked: true });
}

describeEachServer(vault, 'a secret-detection policy refusing a store', () => {
  it('refusing the client secret: says so and names the policy; the issued secret is revoked; the rerun converges', async () => {
    const error = await failure(onboard({ onStep: armPolicyAfter('store-client-id') }));
    expect(error.details.step).toBe('client-secret');
    expect(error.message).toMatch(
      /Infisical's secret-detection policy refused to store \/MooseQuest\/identities\/\S+\/TEST_AGENT_CLIENT_SECRET \(SecretPolicyViolation/,
    );
    expect(error.message).toMatch(/the new client secret \(id [0-9a-f-]+\) was revoked/);
    expect(error.details).toMatchObject({ policy: 'SecretPolicyViolation', phase: 'store' });
    const text = JSON.stringify({ message: error.message, details: error.details });
    for (const canary of [vault.model.seed.admin.clientSecret, vault.model.seed.cfAccessClientSecret, vault.model.seed.mcp.clientSecret]) {
      expect(text).not.toContain(canary);
    }
    const secrets = secretsOfIdentity();
    expect(secrets).toHaveLength(1);
    expect(secrets[0]?.revoked).toBe(true); // nothing left issued but unstored
    expect(storedClientSecret()).toBeUndefined();
    vault.model.configure({ secretDetection: undefined });
    await onboard();
    expectOnboarded();
    expect(await credentialsLogIn()).toBe(true);
  });

  it('recognises a 403 PolicyViolationError the same way', async () => {
    vault.faults.add({
      method: 'POST',
      path: `/api/v3/secrets/raw/${SECRET_KEY}`,
      status: 403,
      times: 1,
      body: { reqId: 'req-policy', statusCode: 403, message: 'Secret value detected', error: 'PolicyViolationError' },
    });
    const error = await failure(onboard());
    expect(error.message).toMatch(/secret-detection policy refused .* \(PolicyViolationError/);
    expect(secretsOfIdentity().every((s) => s.revoked)).toBe(true);
  });

  it('refusing the client id: the step says so and nothing is issued', async () => {
    vault.model.configure({ secretDetection: { paths: [CREDS_PATH], entropy: 1 } });
    const error = await failure(onboard());
    expect(error.details.step).toBe('store-client-id');
    expect(error.message).toMatch(new RegExp(`policy refused to store ${CREDS_PATH}/${ID_KEY}`));
    expect(secretsOfIdentity()).toEqual([]);
  });
});
