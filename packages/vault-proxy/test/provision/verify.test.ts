import { MCP_IDENTITY_NAME, SERVER_PROFILES } from '@raxx/vault-testkit';
import { describe, expect, it } from 'vitest';
import type { VaultProxyError } from '../../src/errors.js';
import { onboardIdentity } from '../../src/provision/onboard.js';
import { verifyIdentity } from '../../src/provision/verify-identity.js';
import { createProxy } from '../../src/proxy/create-proxy.js';
import { failure } from '../support/failure.js';
import { useFakeVault } from './fake-vault-fixture.js';
import { AGENT, expectOnboardedState, IDENTITY, onboardOptions, SCOPE } from './onboard-fixture.js';

// Real sockets: a fake vault over loopback HTTPS and an in-process proxy in front of it, on each server profile.
const fixture = useFakeVault();

const checksOf = (result: { checks: readonly { name: string; actual: number | undefined; outcome: string }[] }) =>
  result.checks.map((c) => [c.name, c.actual ?? c.outcome]);

const ALL_PASS = [
  ['login', 200],
  ['in-scope-read', 200],
  ['out-of-scope-read', 403],
  ['write', 403],
];

async function verifyFailure(promise: Promise<unknown>): Promise<VaultProxyError> {
  const error = await failure(promise);
  expect(error.code).toBe('VERIFY_FAILED');
  return error;
}

describe.each(SERVER_PROFILES)('verify through an in-process proxy (runbook Step 10) — %s server', (server) => {
  it('onboarding ends with the four checks passing for a correctly scoped identity', async () => {
    const fake = await fixture.start({ server });
    const result = await onboardIdentity(onboardOptions({ verify: true }), fake.env);
    expectOnboardedState(fake.model);
    expect(checksOf(result.verify as NonNullable<typeof result.verify>)).toEqual(ALL_PASS);
    expect(result.verify?.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.steps.find((s) => s.id === 'verify')?.status).toBe('done');
  });

  it('passes on a vault without /MooseQuest/cloudflare and with a leftover CANARY_DELETE_TEST', async () => {
    const fake = await fixture.start({ server });
    expect(fake.model.removeFolder('prod', '/MooseQuest/cloudflare')).toBe(true);
    fake.model.putSecret({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'CANARY_DELETE_TEST', value: 'left over' });
    const result = await onboardIdentity(onboardOptions({ verify: true }), fake.env);
    expect(checksOf(result.verify as NonNullable<typeof result.verify>)).toEqual(ALL_PASS);
    const outside = result.verify?.checks.find((c) => c.name === 'out-of-scope-read');
    expect(outside?.detail).toMatch(/^read \/MooseQuest\/\S+: expected 403, got 403/); // another existing folder outside the scope
    const write = result.verify?.checks.find((c) => c.name === 'write');
    expect(write?.detail).toMatch(/^write \/MooseQuest\/app\/CANARY_DELETE_TEST_[0-9A-F]{8} \(a fresh key\)/);
    expect(fake.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'CANARY_DELETE_TEST' })?.value).toBe(
      'left over',
    );
  });

  it('verifies an onboarded identity on its own, reading the scope from its privilege, through a given proxy', async () => {
    const fake = await fixture.start({ server });
    await onboardIdentity(onboardOptions(), fake.env);
    const proxy = createProxy({ host: '127.0.0.1', port: 0, logLevel: 'silent' }, fake.env);
    const { url } = await proxy.listen();
    try {
      const result = await verifyIdentity(
        { identityName: IDENTITY, agentName: AGENT, proxyUrl: url, probeKey: 'DEMO_API_KEY', probePath: '/MooseQuest/app' },
        fake.env,
      );
      expect(result.scope).toBe(SCOPE);
      expect(result.steps.map((s) => `${s.index} ${s.id} ${s.runbookStep} ${s.status}`)).toEqual([
        '1 admin-login Step 1 done',
        '2 project Step 2 done',
        '3 identity Step 3 already-done',
        '4 universal-auth Step 4 already-done',
        '5 verify Step 10 done',
      ]);
      expect(result.verify.proxyUrl).toBe(url);
      expect(checksOf(result.verify)).toEqual(ALL_PASS);
    } finally {
      await proxy.close();
    }
  });

  it('fails for an over-broad identity: the runbook identity (/MooseQuest/**) reads /MooseQuest/cloudflare', async () => {
    const fake = await fixture.start({ server });
    const error = await verifyFailure(
      verifyIdentity(
        { identityName: MCP_IDENTITY_NAME, agentName: 'mcp-ro', slug: 'mcp-main-loop-read', outOfScopePath: '/MooseQuest/cloudflare' },
        fake.env,
      ),
    );
    expect(error.details.step).toBe('verify');
    expect(error.details.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'out-of-scope-read', actual: 200, outcome: 'fail' })]),
    );
    expect(error.message).toMatch(/can do more than read its scope/);
  });

  it('fails loudly for an identity that can write, and deletes the canary it managed to write at once', async () => {
    const fake = await fixture.start({ server });
    await onboardIdentity(onboardOptions(), fake.env);
    const admin = await fixture.admin();
    const [identity] = fake.model.findIdentitiesByName(IDENTITY);
    await admin.createIdentityPrivilege({
      identityId: identity?.id as string,
      projectId: fake.model.seed.projectId,
      slug: 'too-much',
      permissions: [{ subject: 'secrets', action: ['create'], conditions: { environment: 'prod', secretPath: { $glob: SCOPE } } }],
      type: { isTemporary: false },
    });
    const error = await verifyFailure(verifyIdentity({ identityName: IDENTITY, agentName: AGENT }, fake.env));
    expect(error.details.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'write', actual: 200 })]));
    expect(error.message).toMatch(/THE IDENTITY CAN WRITE; the canary was deleted at once/);
    const listed = await admin.listSecrets({ workspaceId: fake.model.seed.projectId, environment: 'prod', secretPath: '/MooseQuest/app' });
    expect(listed.some((s) => s.secretKey.startsWith('CANARY_DELETE_TEST'))).toBe(false);
  });

  it('fails the login check when the stored client secret was revoked (failure mode C)', async () => {
    const fake = await fixture.start({ server });
    await onboardIdentity(onboardOptions(), fake.env);
    const admin = await fixture.admin();
    const [identity] = fake.model.findIdentitiesByName(IDENTITY);
    for (const s of fake.model.listClientSecrets(identity?.id as string)) await admin.revokeClientSecret(identity?.id as string, s.id);
    const error = await verifyFailure(verifyIdentity({ identityName: IDENTITY, agentName: AGENT }, fake.env));
    expect(error.details.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'login', actual: 401, outcome: 'fail' })]),
    );
  });

  it('points at rotate when no client secret is stored (the runbook pending operator action)', async () => {
    const fake = await fixture.start({ server });
    const admin = await fixture.admin();
    await admin.deleteSecret({
      workspaceId: fake.model.seed.projectId,
      environment: 'prod',
      secretPath: `/MooseQuest/identities/${MCP_IDENTITY_NAME}`,
      secretKey: 'MCP_RO_CLIENT_SECRET',
    });
    const error = await failure(
      verifyIdentity({ identityName: MCP_IDENTITY_NAME, agentName: 'mcp-ro', slug: 'mcp-main-loop-read' }, fake.env),
    );
    expect(error.code).toBe('PROVISION_STEP_FAILED');
    expect(error.details.step).toBe('verify');
    expect(error.message).toMatch(/No client secret is stored .*vault-provision rotate/);
  });
});
