import { createVaultHandlers, SERVER_PROFILES } from '@raxx/vault-testkit';
import { getResponse, HttpResponse, http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InfisicalClient } from '../../src/infisical/infisical-client.js';
import { failure } from '../support/failure.js';
import { useMswVault } from './msw-vault.js';

const vault = useMswVault();

async function adminClient(): Promise<InfisicalClient> {
  const client = vault.client({}, { retries: 1 });
  await client.authenticate(vault.admin());
  return client;
}

describe.each(SERVER_PROFILES)('finders on a %s server', (server) => {
  beforeEach(() => vault.reset({ server }));

  it('read every "absent" answer of that build as undefined', async () => {
    const client = await adminClient();
    const { projectId, organizationId, projectSlug } = vault.model.seed;
    const bare = await client.createIdentity({ name: 'agent-bare', organizationId });
    expect(await client.findUniversalAuth(bare.id)).toBeUndefined();
    expect(await client.findProjectMembership(projectId, bare.id)).toBeUndefined();
    // Not a member: every build answers the privilege lookup 400 "Actor doesn't have membership".
    expect(await client.findPrivilegeBySlug({ slug: 'agent-bare-read', identityId: bare.id, projectSlug })).toBeUndefined();
    const location = { workspaceId: projectId, environment: 'prod' };
    expect(await client.findSecretsIn({ ...location, secretPath: '/MooseQuest/nowhere' })).toEqual(server === 'legacy' ? [] : undefined);
    expect((await client.findSecretsIn({ ...location, secretPath: '/MooseQuest/app' }))?.map((s) => s.secretKey).sort()).toEqual([
      'DATABASE_PASSWORD',
      'DEMO_API_KEY',
    ]);
  });

  it('tell whether a folder exists, the root always', async () => {
    const client = await adminClient();
    const location = { workspaceId: vault.model.seed.projectId, environment: 'prod' };
    expect(await client.folderExists({ ...location, path: '/' })).toBe(true);
    expect(await client.folderExists({ ...location, path: '/MooseQuest/cloudflare' })).toBe(true);
    vault.model.removeFolder('prod', '/MooseQuest/cloudflare');
    expect(await client.folderExists({ ...location, path: '/MooseQuest/cloudflare' })).toBe(false);
    expect(await client.folderExists({ ...location, path: '/No/Such' })).toBe(false);
  });

  it('createSecretIfAbsent reads either wording of "already exists" as present', async () => {
    const client = await adminClient();
    const { SecretValue } = await import('../../src/secret-value.js');
    const ref = { workspaceId: vault.model.seed.projectId, environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'DEMO_API_KEY' };
    expect(await client.createSecretIfAbsent({ ...ref, secretValue: new SecretValue('x') })).toBeUndefined();
  });
});

describe('the v2 privilege routes', () => {
  it('are reported present on a current server and absent on a build without them; a route 404 is never "absent"', async () => {
    let client = await adminClient();
    expect(await client.hasIdentityPrivilegeRoutes(vault.model.seed.projectId)).toBe(true);
    vault.reset({ v2PrivilegeRoutes: false });
    client = await adminClient();
    expect(await client.hasIdentityPrivilegeRoutes(vault.model.seed.projectId)).toBe(false);
    const query = { slug: 'x', identityId: vault.model.seed.mcp.identityId, projectSlug: vault.model.seed.projectSlug };
    expect(await failure(client.findPrivilegeBySlug(query))).toMatchObject({ details: { status: 404, error: 'Not Found' } });
  });

  it('a 5xx while probing them is thrown, not taken for an answer', async () => {
    const client = await adminClient();
    vault.faults.add({ method: 'GET', path: '/api/v2/identity-project-additional-privilege', status: 503, times: 2 });
    expect(await failure(client.hasIdentityPrivilegeRoutes(vault.model.seed.projectId))).toMatchObject({ details: { status: 503 } });
  });
});

describe('createIdentityOnce', () => {
  it('after a transient failure whose create did happen, returns that identity instead of creating a second', async () => {
    const client = await adminClient();
    let lost = 0;
    // The vault creates the identity, then the answer is lost (a 502 from the edge).
    vault.prepend(
      http.post('https://vault.raxx.app/api/v1/identities', async ({ request }) => {
        if (lost > 0) return undefined;
        lost += 1;
        await getResponse(createVaultHandlers(vault.model), request.clone());
        return HttpResponse.json({ reqId: 'r', statusCode: 502, message: 'Bad gateway', error: 'InternalServerError' }, { status: 502 });
      }),
    );
    const identity = await client.createIdentityOnce({ name: 'agent-once', organizationId: vault.model.seed.organizationId });
    expect(lost).toBe(1);
    expect(vault.model.findIdentitiesByName('agent-once').map((i) => i.id)).toEqual([identity.id]);
  });

  it('after a transient failure that created nothing, creates it; a permanent refusal is thrown at once', async () => {
    const client = await adminClient();
    vault.faults.add({ method: 'POST', path: '/api/v1/identities', status: 500, times: 1 });
    const identity = await client.createIdentityOnce({ name: 'agent-twice', organizationId: vault.model.seed.organizationId });
    expect(vault.model.findIdentitiesByName('agent-twice').map((i) => i.id)).toEqual([identity.id]);
    vault.faults.add({ method: 'POST', path: '/api/v1/identities', status: 400, times: 1 });
    expect(
      await failure(client.createIdentityOnce({ name: 'agent-never', organizationId: vault.model.seed.organizationId })),
    ).toMatchObject({
      details: { status: 400 },
    });
    expect(vault.model.findIdentitiesByName('agent-never')).toEqual([]);
  });
});
