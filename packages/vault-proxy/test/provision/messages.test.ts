import { expect, it } from 'vitest';
import { SecretValue } from '../../src/secret-value.js';
import { failure } from '../support/failure.js';
import { IDENTITY, SECRET_KEY, useOnboardVault } from './onboard-fixture.js';
import { describeEachServer } from './server-matrix.js';

const { vault, env, onboard, expectOnboarded } = useOnboardVault();

describeEachServer(vault, 'provisioning messages say what to do', () => {
  it('a conflict names the flags that resolve it and does not ask to rerun the same command', async () => {
    await onboard();
    const error = await failure(onboard({ scope: '/MooseQuest/identities/**' }));
    expect(error.code).toBe('PROVISION_CONFLICT');
    expect(error.message).toMatch(/pass the scope it grants \(--scope\), or pass another --slug/);
    expect(error.message).not.toMatch(/same command/);
    const ttl = await failure(onboard({ accessTokenTTL: 600 }));
    expect(ttl.message).toMatch(/--access-token-ttl \/ --access-token-max-ttl/);
    expect(ttl.message).not.toMatch(/same command/);
  });

  it('a scope outside the root names the root and --root', async () => {
    const error = await failure(onboard({ scope: '/Ops/**' }));
    expect(error.code).toBe('PROVISION_REFUSED');
    expect(error.message).toMatch(/lies outside the configured root \/MooseQuest\. .*--root/);
  });

  it('a wrong admin secret names INFISICAL_CLIENT_ID / INFISICAL_CLIENT_SECRET, never the value', async () => {
    const wrong = 'f'.repeat(64);
    const error = await failure(onboard({ adminClientSecret: new SecretValue(wrong) }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details).toMatchObject({ step: 'admin-login', field: 'INFISICAL_CLIENT_SECRET', source: 'env' });
    expect(error.message).toMatch(/INFISICAL_CLIENT_ID \/ INFISICAL_CLIENT_SECRET/);
    expect(error.message).toMatch(/401/);
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(wrong);
    expect(vault.model.findIdentitiesByName(IDENTITY)).toEqual([]);
  });

  it('a revoke that fails after a failed store says a rerun revokes it, and the rerun does', async () => {
    vault.faults.add({ method: 'POST', path: `/api/v3/secrets/raw/${SECRET_KEY}`, status: 500, times: 2 });
    vault.faults.add({ method: 'POST', path: '/api/v1/auth/universal-auth/identities/*/client-secrets/*/revoke', status: 503, times: 2 });
    const error = await failure(onboard({ retries: 1 }));
    expect(error.message).toMatch(/could NOT be revoked yet: rerunning `vault-provision onboard` or `rotate` revokes it/);
    expect(error.message).not.toMatch(/revoke it in Infisical now/);
    const [identity] = vault.model.findIdentitiesByName(IDENTITY);
    expect(vault.model.listClientSecrets(identity?.id as string)).toHaveLength(1); // the orphan, for now
    vault.faults.clear();
    await onboard();
    expectOnboarded(); // exactly one active secret: the stored one
  });

  it('never prints a secret in any of these messages', async () => {
    await onboard();
    const error = await failure(onboard({ scope: '/MooseQuest/identities/**' }), 'conflict');
    const text = JSON.stringify({ message: error.message, details: error.details });
    for (const secret of [vault.model.seed.admin.clientSecret, vault.model.seed.cfAccessClientSecret, env().INFISICAL_CLIENT_SECRET]) {
      expect(text).not.toContain(secret);
    }
  });
});
