import type { FaultRule } from '@raxx/vault-testkit';
import { describe, expect, it } from 'vitest';
import type { InfisicalClient } from '../../src/infisical/infisical-client.js';
import { SecretValue } from '../../src/secret-value.js';
import { failure } from '../support/failure.js';
import { useMswVault } from './msw-vault.js';

const vault = useMswVault();

/** An admin client that does not retry, so one injected fault is the answer. */
async function adminClient(): Promise<InfisicalClient> {
  const client = vault.client({}, { retries: 0 });
  await client.authenticate(vault.admin());
  return client;
}

const READ = [{ subject: 'secrets', action: ['read'], conditions: { environment: 'prod', secretPath: { $glob: '/MooseQuest/app/**' } } }];

/** An identity with universal auth, project membership, privilege `agent-f-read`, and a secret `/MooseQuest/app/FOUND`. */
async function provisioned(client: InfisicalClient) {
  const { projectId, organizationId, projectSlug } = vault.model.seed;
  const identity = await client.createIdentity({ name: 'agent-f', organizationId });
  await client.attachUniversalAuth(identity.id, { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 });
  await client.createProjectMembership(projectId, identity.id);
  await client.createIdentityPrivilege({
    identityId: identity.id,
    projectId,
    slug: 'agent-f-read',
    permissions: READ,
    type: { isTemporary: false },
  });
  const location = { workspaceId: projectId, environment: 'prod' };
  const secret = { ...location, secretPath: '/MooseQuest/app', secretKey: 'FOUND' };
  await client.createSecret({ ...secret, secretValue: new SecretValue('v') });
  return { identityId: identity.id, projectId, organizationId, projectSlug, location, secret };
}

type Fixture = Awaited<ReturnType<typeof provisioned>>;

interface FinderCase {
  readonly name: string;
  /** The GET the finder sends. */
  readonly path: string;
  readonly find: (client: InfisicalClient, f: Fixture) => Promise<unknown>;
}

const finders: FinderCase[] = [
  { name: 'findUniversalAuth', path: '/api/v1/auth/universal-auth/identities/*', find: (c, f) => c.findUniversalAuth(f.identityId) },
  {
    name: 'findProjectMembership',
    path: '/api/v2/workspace/*/identity-memberships/*',
    find: (c, f) => c.findProjectMembership(f.projectId, f.identityId),
  },
  {
    name: 'findPrivilegeBySlug',
    path: '/api/v2/identity-project-additional-privilege/slug/*',
    find: (c, f) => c.findPrivilegeBySlug({ slug: 'agent-f-read', identityId: f.identityId, projectSlug: f.projectSlug }),
  },
  { name: 'findSecret', path: '/api/v3/secrets/raw/*', find: (c, f) => c.findSecret(f.secret) },
  { name: 'findFolder', path: '/api/v1/folders', find: (c, f) => c.findFolder({ ...f.location, path: '/MooseQuest', name: 'app' }) },
];

describe('InfisicalClient finders: absent is undefined, every other failure is thrown', () => {
  it('find what is there', async () => {
    const client = await adminClient();
    const f = await provisioned(client);
    expect(await client.findUniversalAuth(f.identityId)).toMatchObject({ identityId: f.identityId, accessTokenTTL: 3600 });
    expect((await client.findProjectMembership(f.projectId, f.identityId))?.roles.map((r) => r.role)).toEqual(['no-access']);
    const privilege = await client.findPrivilegeBySlug({ slug: 'agent-f-read', identityId: f.identityId, projectSlug: f.projectSlug });
    expect(privilege?.permissions).toEqual([expect.objectContaining({ subject: 'secrets', action: ['read'] })]);
    expect((await client.findSecret(f.secret))?.secretValue.reveal()).toBe('v');
    expect(await client.findFolder({ ...f.location, path: '/MooseQuest', name: 'app' })).toMatchObject({ name: 'app' });
    expect((await client.findIdentitiesByName(f.organizationId, 'agent-f')).map((m) => m.identity.id)).toEqual([f.identityId]);
  });

  it('answer undefined (or no identities) for what is not there', async () => {
    const client = await adminClient();
    const { projectId, organizationId, projectSlug } = vault.model.seed;
    const bare = await client.createIdentity({ name: 'agent-bare', organizationId });
    const location = { workspaceId: projectId, environment: 'prod' };
    expect(await client.findUniversalAuth(bare.id)).toBeUndefined();
    expect(await client.findProjectMembership(projectId, bare.id)).toBeUndefined();
    await client.createProjectMembership(projectId, bare.id);
    expect(await client.findPrivilegeBySlug({ slug: 'agent-bare-read', identityId: bare.id, projectSlug })).toBeUndefined();
    expect(await client.findSecret({ ...location, secretPath: '/MooseQuest/app', secretKey: 'MISSING' })).toBeUndefined();
    expect(await client.findSecret({ ...location, secretPath: '/MooseQuest/no-such-folder', secretKey: 'X' })).toBeUndefined();
    expect(await client.findFolder({ ...location, path: '/MooseQuest', name: 'no-such-folder' })).toBeUndefined();
    expect(await client.findFolder({ ...location, path: '/MooseQuest/no-such-folder', name: 'x' })).toBeUndefined();
    expect(await client.findIdentitiesByName(organizationId, 'agent-nobody')).toEqual([]);
  });

  const failures: Array<{ what: string; rule: Omit<FaultRule, 'path'>; expected: Record<string, unknown> }> = [
    { what: 'a server error', rule: { status: 500 }, expected: { code: 'INFISICAL_HTTP', details: { status: 500 } } },
    { what: 'a permission refusal', rule: { status: 403 }, expected: { code: 'INFISICAL_HTTP', details: { status: 403 } } },
    {
      what: 'a 400 that is no listed variant',
      rule: { status: 400, body: { reqId: 'r', statusCode: 400, message: 'Failed to find it', error: 'BadRequest' } },
      expected: { code: 'INFISICAL_HTTP', details: { status: 400 } },
    },
    { what: 'a dropped connection', rule: { reset: true }, expected: { code: 'INFISICAL_NETWORK' } },
  ];
  const grid = finders.flatMap((finder) => failures.map((f) => ({ ...f, finder: finder.name, path: finder.path, find: finder.find })));

  it.each(grid)('$finder throws $what', async (c) => {
    const client = await adminClient();
    const f = await provisioned(client);
    vault.faults.add({ method: 'GET', path: c.path, times: 1, ...c.rule });
    const error = await failure(c.find(client, f));
    expect(error).toMatchObject(c.expected);
    expect(await c.find(client, f)).toBeDefined(); // and the fault was the only reason
  });
});

describe('InfisicalClient …IfAbsent creators: already there is undefined, every other failure is thrown', () => {
  it('create once, then answer undefined', async () => {
    const client = await adminClient();
    const { projectId, organizationId } = vault.model.seed;
    const location = { workspaceId: projectId, environment: 'prod' };
    const identity = await client.createIdentity({ name: 'agent-c', organizationId });
    const ttl = { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 };
    expect(await client.attachUniversalAuthIfAbsent(identity.id, ttl)).toMatchObject({ identityId: identity.id });
    expect(await client.attachUniversalAuthIfAbsent(identity.id, ttl)).toBeUndefined();
    expect(await client.createProjectMembershipIfAbsent(projectId, identity.id)).toMatchObject({ id: expect.any(String) });
    expect(await client.createProjectMembershipIfAbsent(projectId, identity.id)).toBeUndefined();
    const privilege = {
      identityId: identity.id,
      projectId,
      slug: 'agent-c-read',
      permissions: READ,
      type: { isTemporary: false as const },
    };
    expect(await client.createIdentityPrivilegeIfAbsent(privilege)).toMatchObject({ slug: 'agent-c-read' });
    expect(await client.createIdentityPrivilegeIfAbsent(privilege)).toBeUndefined();
    const folder = { ...location, path: '/MooseQuest/identities', name: 'agent-c' };
    expect(await client.createFolderIfAbsent(folder)).toMatchObject({ name: 'agent-c' });
    expect(await client.createFolderIfAbsent(folder)).toBeUndefined();
    const secret = { ...location, secretPath: '/MooseQuest/identities/agent-c', secretKey: 'K', secretValue: new SecretValue('v1') };
    expect(await client.createSecretIfAbsent(secret)).toMatchObject({ version: 1 });
    expect(await client.createSecretIfAbsent({ ...secret, secretValue: new SecretValue('v2') })).toBeUndefined();
    expect(vault.model.getSecretValue(secret)).toEqual({ value: 'v1', version: 1 }); // not overwritten
  });

  it('throw any other refusal: a 400 of another kind, a 422, a missing folder or identity', async () => {
    const client = await adminClient();
    const { projectId, organizationId } = vault.model.seed;
    const identity = await client.createIdentity({ name: 'agent-e', organizationId });
    const plan = 'Failed to add IP access range to service token due to plan restriction. Upgrade plan to add IP access range.';
    vault.faults.add({
      method: 'POST',
      path: '/api/v1/auth/universal-auth/identities/*',
      status: 400,
      times: 1,
      body: { reqId: 'r', statusCode: 400, message: plan, error: 'BadRequest' },
    });
    const refused = await failure(client.attachUniversalAuthIfAbsent(identity.id, { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 }));
    expect(refused.details).toMatchObject({ status: 400, message: plan });
    await client.createProjectMembership(projectId, identity.id);
    const request = { identityId: identity.id, projectId, slug: 'Bad_Slug', permissions: READ, type: { isTemporary: false as const } };
    expect((await failure(client.createIdentityPrivilegeIfAbsent(request))).details).toMatchObject({ status: 422 });
    const location = { workspaceId: projectId, environment: 'prod' };
    const orphan = { ...location, secretPath: '/MooseQuest/no-such-folder', secretKey: 'K', secretValue: new SecretValue('v') };
    expect((await failure(client.createSecretIfAbsent(orphan))).details).toMatchObject({ status: 404 });
    const ghost = await failure(client.createProjectMembershipIfAbsent(projectId, 'aaaaaaaa-0000-4000-8000-000000000000'));
    expect(ghost.details).toMatchObject({ status: 400, message: expect.stringMatching(/missing organization membership/) });
  });
});

describe('InfisicalClient.canLogIn', () => {
  it('is true for working credentials, false for refused ones, and throws when the vault did not say', async () => {
    const client = await adminClient();
    expect(await client.canLogIn(vault.admin())).toBe(true);
    const wrong = { clientId: vault.model.seed.admin.clientId, clientSecret: new SecretValue('f'.repeat(64)) };
    expect(await client.canLogIn(wrong)).toBe(false);
    vault.faults.add({ method: 'POST', path: '/api/v1/auth/universal-auth/login', status: 503, times: 1 });
    expect(await failure(client.canLogIn(vault.admin()))).toMatchObject({ code: 'INFISICAL_HTTP', details: { status: 503 } });
    // The probe never changed who the client acts as.
    expect((await client.getProject(vault.model.seed.projectId)).id).toBe(vault.model.seed.projectId);
  });
});
