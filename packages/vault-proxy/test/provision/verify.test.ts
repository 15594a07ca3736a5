import { type FakeVault, MCP_IDENTITY_NAME, startFakeVault } from '@raxx/vault-testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/connection/connection-options.js';
import type { VaultProxyError } from '../../src/errors.js';
import { createInfisicalClient } from '../../src/infisical/infisical-client.js';
import { onboardIdentity } from '../../src/provision/onboard.js';
import { verifyIdentity } from '../../src/provision/verify-identity.js';
import { createProxy } from '../../src/proxy/create-proxy.js';
import { SecretValue } from '../../src/secret-value.js';
import { failure } from '../support/failure.js';
import { AGENT, expectOnboardedState, IDENTITY, onboardOptions, SCOPE } from './onboard-fixture.js';

// Real sockets: a fake vault over loopback HTTPS and an in-process proxy in front of it.
let fake: FakeVault;
beforeEach(async () => {
  fake = await startFakeVault({ port: 0 });
});
afterEach(async () => {
  await fake.close();
});

const checksOf = (result: { checks: readonly { name: string; actual: number | undefined; outcome: string }[] }) =>
  result.checks.map((c) => [c.name, c.actual ?? c.outcome]);

async function verifyFailure(promise: Promise<unknown>): Promise<VaultProxyError> {
  const error = await failure(promise);
  expect(error.code).toBe('VERIFY_FAILED');
  return error;
}

async function adminClient() {
  const client = createInfisicalClient({
    connection: resolveConnection(
      {
        upstream: fake.origin,
        connectTo: fake.connectTo,
        ca: fake.caCert,
        cfAccessClientId: fake.env.CF_ACCESS_CLIENT_ID,
        cfAccessClientSecret: new SecretValue(fake.env.CF_ACCESS_CLIENT_SECRET as string),
      },
      {},
    ),
  });
  await client.authenticate({
    clientId: fake.model.seed.admin.clientId,
    clientSecret: new SecretValue(fake.model.seed.admin.clientSecret),
  });
  return client;
}

describe('verify through an in-process proxy (runbook Step 10)', () => {
  it('onboarding ends with the four checks passing for a correctly scoped identity', async () => {
    const result = await onboardIdentity(onboardOptions({ verify: true }), fake.env);
    expectOnboardedState(fake.model);
    expect(checksOf(result.verify as NonNullable<typeof result.verify>)).toEqual([
      ['login', 200],
      ['in-scope-read', 200],
      ['out-of-scope-read', 403],
      ['write', 403],
    ]);
    expect(result.verify?.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.steps.find((s) => s.id === 'verify')?.status).toBe('done');
  });

  it('verifies an onboarded identity on its own, reading the scope from its privilege, through a given proxy', async () => {
    await onboardIdentity(onboardOptions(), fake.env);
    const proxy = createProxy(
      {
        host: '127.0.0.1',
        port: 0,
        upstream: fake.origin,
        connectTo: fake.connectTo,
        ca: fake.caCert,
        cfAccessClientId: fake.env.CF_ACCESS_CLIENT_ID,
        cfAccessClientSecret: fake.env.CF_ACCESS_CLIENT_SECRET,
        logLevel: 'silent',
      },
      {},
    );
    const { url } = await proxy.listen();
    try {
      const result = await verifyIdentity(
        { identityName: IDENTITY, agentName: AGENT, proxyUrl: url, probeKey: 'DEMO_API_KEY', probePath: '/MooseQuest/app' },
        fake.env,
      );
      expect(result.scope).toBe(SCOPE);
      // The shared sign-in (runbook Steps 1–4) comes first, then Step 10, numbered in run order.
      expect(result.steps.map((s) => `${s.index} ${s.id} ${s.runbookStep} ${s.status}`)).toEqual([
        '1 admin-login Step 1 done',
        '2 project Step 2 done',
        '3 identity Step 3 already-done',
        '4 universal-auth Step 4 already-done',
        '5 verify Step 10 done',
      ]);
      expect(result.verify.proxyUrl).toBe(url);
      expect(checksOf(result.verify)).toEqual([
        ['login', 200],
        ['in-scope-read', 200],
        ['out-of-scope-read', 403],
        ['write', 403],
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('fails for an over-broad identity: the runbook identity (/MooseQuest/**) reads /MooseQuest/cloudflare', async () => {
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

  it('fails for an identity that can write, and removes the canary it managed to write', async () => {
    await onboardIdentity(onboardOptions(), fake.env);
    const admin = await adminClient();
    try {
      const [identity] = fake.model.findIdentitiesByName(IDENTITY);
      await admin.createIdentityPrivilege({
        identityId: identity?.id as string,
        projectId: fake.model.seed.projectId,
        slug: 'too-much',
        permissions: [{ subject: 'secrets', action: ['create'], conditions: { environment: 'prod', secretPath: { $glob: SCOPE } } }],
        type: { isTemporary: false },
      });
    } finally {
      admin.close();
    }
    const error = await verifyFailure(verifyIdentity({ identityName: IDENTITY, agentName: AGENT }, fake.env));
    expect(error.details.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'write', actual: 200 })]));
    const [probeWrite] = ['/MooseQuest/app'].map((p) =>
      fake.model.getSecretValue({ environment: 'prod', secretPath: p, secretKey: 'CANARY_DELETE_TEST' }),
    );
    expect(probeWrite).toBeUndefined();
  });

  it('fails the login check when the stored client secret was revoked (failure mode C)', async () => {
    await onboardIdentity(onboardOptions(), fake.env);
    const admin = await adminClient();
    try {
      const [identity] = fake.model.findIdentitiesByName(IDENTITY);
      for (const s of fake.model.listClientSecrets(identity?.id as string)) await admin.revokeClientSecret(identity?.id as string, s.id);
    } finally {
      admin.close();
    }
    const error = await verifyFailure(verifyIdentity({ identityName: IDENTITY, agentName: AGENT }, fake.env));
    expect(error.details.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'login', actual: 401, outcome: 'fail' })]),
    );
  });

  it('points at rotate when no client secret is stored (the runbook pending operator action)', async () => {
    const admin = await adminClient();
    try {
      await admin.deleteSecret({
        workspaceId: fake.model.seed.projectId,
        environment: 'prod',
        secretPath: `/MooseQuest/identities/${MCP_IDENTITY_NAME}`,
        secretKey: 'MCP_RO_CLIENT_SECRET',
      });
    } finally {
      admin.close();
    }
    const error = await failure(
      verifyIdentity({ identityName: MCP_IDENTITY_NAME, agentName: 'mcp-ro', slug: 'mcp-main-loop-read' }, fake.env),
    );
    expect(error.code).toBe('PROVISION_STEP_FAILED');
    expect(error.details.step).toBe('verify');
    expect(error.message).toMatch(/No client secret is stored .*vault-provision rotate/);
  });
});
