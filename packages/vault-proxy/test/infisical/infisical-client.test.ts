import { describe, expect, it } from 'vitest';
import { SecretValue } from '../../src/secret-value.js';
import { failure } from '../support/failure.js';
import { useMswVault } from './msw-vault.js';

const vault = useMswVault();

async function adminClient() {
  const client = vault.client();
  await client.authenticate(vault.admin());
  return client;
}

describe('InfisicalClient: each endpoint against the model', () => {
  it('reads the status without a token', async () => {
    const status = await vault.client().status();
    expect(status.message).toBe('Ok');
  });

  it('logs in (admin), reads the project and its organisation', async () => {
    const client = vault.client();
    const login = await client.authenticate(vault.admin());
    expect(login.expiresIn).toBe(7200);
    const project = await client.getProject(vault.model.seed.projectId);
    expect(project).toMatchObject({
      id: vault.model.seed.projectId,
      slug: vault.model.seed.projectSlug,
      orgId: vault.model.seed.organizationId,
    });
    expect(project.environments.map((e) => e.slug)).toContain('prod');
  });

  it('a login probe returns the token in a SecretValue and leaves the session alone', async () => {
    const client = vault.client();
    const result = await client.login(vault.admin());
    expect(result.accessToken).toBeInstanceOf(SecretValue);
    expect(JSON.stringify(result)).not.toContain(result.accessToken.reveal());
    const error = await failure(client.getProject(vault.model.seed.projectId));
    expect(error.code).toBe('CONFIG_INVALID');
  });

  it('creates an identity, finds it by exact name (not by substring) and reads it', async () => {
    const client = await adminClient();
    const { organizationId } = vault.model.seed;
    const created = await client.createIdentity({ name: 'agent-x', organizationId });
    await client.createIdentity({ name: 'agent-x-other', organizationId });
    const found = await client.findIdentitiesByName(organizationId, 'agent-x');
    expect(found.map((m) => m.identity.id)).toEqual([created.id]);
    expect(found[0]?.role).toBe('no-access');
    const read = await client.getIdentity(created.id);
    expect(read.identity.name).toBe('agent-x');
    expect(vault.model.findIdentitiesByName('agent-x')).toHaveLength(1);
  });

  it('attaches universal auth, reads it, and maps the second attach to a 400', async () => {
    const client = await adminClient();
    const identity = await client.createIdentity({ name: 'agent-ua', organizationId: vault.model.seed.organizationId });
    const ua = await client.attachUniversalAuth(identity.id, { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 });
    expect(ua).toMatchObject({ identityId: identity.id, accessTokenTTL: 3600, accessTokenMaxTTL: 7200 });
    expect(await client.getUniversalAuth(identity.id)).toMatchObject({ clientId: ua.clientId });
    const error = await failure(client.attachUniversalAuth(identity.id, { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 }));
    expect(error.code).toBe('INFISICAL_HTTP');
    expect(error.details).toMatchObject({ status: 400, error: 'BadRequest', method: 'POST' });
    expect(String(error.details.message)).toMatch(/already configured/);
    expect(error.details.reqId).toEqual(expect.any(String));
  });

  it('issues, lists and revokes client secrets; the secret only ever appears through reveal()', async () => {
    const client = await adminClient();
    const identity = await client.createIdentity({ name: 'agent-cs', organizationId: vault.model.seed.organizationId });
    const ua = await client.attachUniversalAuth(identity.id, { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 });
    const issued = await client.createClientSecret(identity.id, { description: 'test' });
    const secret = issued.clientSecret.reveal();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(issued)).not.toContain(secret);
    expect(`${issued.clientSecret}`).toBe('[redacted]');
    expect((await client.login({ clientId: ua.clientId, clientSecret: issued.clientSecret })).expiresIn).toBe(3600);
    expect((await client.listClientSecrets(identity.id)).map((s) => s.id)).toEqual([issued.clientSecretData.id]);
    const revoked = await client.revokeClientSecret(identity.id, issued.clientSecretData.id);
    expect(revoked.isClientSecretRevoked).toBe(true);
    expect(await client.listClientSecrets(identity.id)).toEqual([]);
    expect(vault.model.listClientSecrets(identity.id, { includeRevoked: true })).toMatchObject([{ revoked: true }]);
    const error = await failure(client.login({ clientId: ua.clientId, clientSecret: issued.clientSecret }));
    expect(error.details).toMatchObject({ status: 401 });
  });

  it('lists and creates folders; an existing folder is a 400', async () => {
    const client = await adminClient();
    const location = { workspaceId: vault.model.seed.projectId, environment: 'prod' };
    const names = (await client.listFolders({ ...location, path: '/MooseQuest' })).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['app', 'identities']));
    expect(await client.listFolders({ ...location, path: '/MooseQuest/nope' })).toEqual([]);
    await client.createFolder({ ...location, path: '/MooseQuest/identities', name: 'agent-f' });
    expect(vault.model.folderExists('prod', '/MooseQuest/identities/agent-f')).toBe(true);
    const error = await failure(client.createFolder({ ...location, path: '/MooseQuest/identities', name: 'agent-f' }));
    expect(error.details).toMatchObject({ status: 400 });
    expect(String(error.details.message)).toMatch(/already exists/);
  });

  it('creates, reads, updates (new version), lists and deletes secrets', async () => {
    const client = await adminClient();
    const ref = { workspaceId: vault.model.seed.projectId, environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'NEW_KEY' };
    const created = await client.createSecret({ ...ref, secretValue: new SecretValue('v1'), secretComment: 'c' });
    expect(created.version).toBe(1);
    const duplicate = await failure(client.createSecret({ ...ref, secretValue: new SecretValue('v1') }));
    expect(duplicate.details).toMatchObject({ status: 400, message: 'Secret already exists' });
    const updated = await client.updateSecret({ ...ref, secretValue: new SecretValue('v2') });
    expect(updated.version).toBe(2);
    const read = await client.getSecret(ref);
    expect(read.secretValue.reveal()).toBe('v2');
    expect(vault.model.getSecretValue(ref)).toEqual({ value: 'v2', version: 2 });
    const listed = await client.listSecrets({ ...ref, secretPath: '/MooseQuest', recursive: true });
    expect(listed.map((s) => `${s.secretPath}/${s.secretKey}`)).toContain('/MooseQuest/app/NEW_KEY');
    await client.deleteSecret(ref);
    const missing = await failure(client.getSecret(ref));
    expect(missing.details).toMatchObject({ status: 404, error: 'NotFound', method: 'GET', path: '/api/v3/secrets/raw/NEW_KEY' });
  });

  it('creates and reads a project membership; a second one is a 400', async () => {
    const client = await adminClient();
    const { projectId, organizationId } = vault.model.seed;
    const identity = await client.createIdentity({ name: 'agent-m', organizationId });
    const missing = await failure(client.getProjectMembership(projectId, identity.id));
    expect(missing.details.status).toBe(404);
    await client.createProjectMembership(projectId, identity.id);
    const membership = await client.getProjectMembership(projectId, identity.id);
    expect(membership.roles.map((r) => r.role)).toEqual(['no-access']);
    const again = await failure(client.createProjectMembership(projectId, identity.id));
    expect(again.details).toMatchObject({ status: 400 });
    expect(String(again.details.message)).toMatch(/already a member/);
  });

  it('creates a privilege, reads it by slug and id, lists it; duplicates and bad slugs are mapped', async () => {
    const client = await adminClient();
    const { projectId, organizationId, projectSlug } = vault.model.seed;
    const identity = await client.createIdentity({ name: 'agent-p', organizationId });
    await client.createProjectMembership(projectId, identity.id);
    const permissions = [
      { subject: 'secrets', action: ['read'], conditions: { environment: 'prod', secretPath: { $glob: '/MooseQuest/app/**' } } },
    ];
    const request = { identityId: identity.id, projectId, slug: 'agent-p-read', permissions, type: { isTemporary: false as const } };
    const created = await client.createIdentityPrivilege(request);
    expect(created.permissions).toEqual([expect.objectContaining({ subject: 'secrets', action: ['read'] })]);
    const bySlug = await client.getIdentityPrivilegeBySlug({ slug: 'agent-p-read', identityId: identity.id, projectSlug });
    expect(bySlug.id).toBe(created.id);
    expect((await client.getIdentityPrivilege(created.id)).slug).toBe('agent-p-read');
    expect((await client.listIdentityPrivileges({ identityId: identity.id, projectId })).map((p) => p.slug)).toEqual(['agent-p-read']);
    const duplicate = await failure(client.createIdentityPrivilege(request));
    expect(duplicate.details).toMatchObject({ status: 400 });
    const badSlug = await failure(client.createIdentityPrivilege({ ...request, slug: 'Bad_Slug' }));
    expect(badSlug.details).toMatchObject({ status: 422, error: 'ValidationFailure' });
    expect(String(badSlug.details.message)).toMatch(/slug/i);
  });
});
