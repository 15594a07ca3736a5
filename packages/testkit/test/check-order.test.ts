import { describe, expect, it } from 'vitest';
import { readUnder, scopedIdentity } from './support/scoped-identity.js';
import { useMswVault } from './support/vault-client.js';

// The order of checks of backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts, seen from a
// caller scoped to /MooseQuest/app/** (read only).
const vault = useMswVault();
const raw = (name: string) => `/api/v3/secrets/raw/${name}`;
const at = (secretPath: string, environment = 'prod') => ({ workspaceId: vault.model.seed.projectId, environment, secretPath });

async function appReader() {
  const { projectId, organizationId } = vault.model.seed;
  const identity = await scopedIdentity(vault.client, projectId, organizationId, 'app-reader', [readUnder('/MooseQuest/app/**')]);
  return { ...identity, token: await identity.token() };
}

describe('GET one secret: folder before permission, permission before existence', () => {
  it('a folder that does not exist is 404 even outside the scope; one that exists is 403, secret or not', async () => {
    const { token } = await appReader();
    const missingFolder = await vault.client.call('GET', raw('CF_ACCESS_CLIENT_ID'), { token, query: at('/MooseQuest/nothing-here') });
    expect(missingFolder.body).toMatchObject({ statusCode: 404, error: 'GetSecretByName' });
    vault.model.removeFolder('prod', '/MooseQuest/cloudflare');
    const removed = await vault.client.call('GET', raw('CF_ACCESS_CLIENT_ID'), { token, query: at('/MooseQuest/cloudflare') });
    expect(removed.status).toBe(404);
    for (const name of ['OPS_PAGER_TOKEN', 'NO_SUCH_KEY']) {
      const r = await vault.client.call('GET', raw(name), { token, query: at('/Ops') });
      expect(r.body, name).toMatchObject({
        statusCode: 403,
        error: 'PermissionDenied',
        message: 'You are not allowed to describeSecret on secrets',
      });
    }
  });

  it('in scope: a missing key is 404, an existing one 200', async () => {
    const { token } = await appReader();
    expect((await vault.client.call('GET', raw('NO_SUCH_KEY'), { token, query: at('/MooseQuest/app') })).body).toMatchObject({
      statusCode: 404,
      message: "Secret with name 'NO_SUCH_KEY' not found",
    });
    expect((await vault.client.call('GET', raw('DEMO_API_KEY'), { token, query: at('/MooseQuest/app') })).status).toBe(200);
  });

  it('a non-member is refused before anything else (403 ProjectMembershipNotFound)', async () => {
    const { id, admin, token } = await appReader();
    await vault.client.call('DELETE', `/api/v2/workspace/${vault.model.seed.projectId}/identity-memberships/${id}`, { token: admin });
    const r = await vault.client.call('GET', raw('DEMO_API_KEY'), { token, query: at('/Nowhere') });
    expect(r.body).toMatchObject({ statusCode: 403, error: 'ProjectMembershipNotFound' });
  });
});

describe('create, update, delete: folder, then the key, then permission', () => {
  it('create: missing folder 404, existing key 400, then 403 only for a new key in an existing folder', async () => {
    const { token } = await appReader();
    const create = (name: string, path: string) =>
      vault.client.call('POST', raw(name), { token, body: { ...at(path), secretValue: 'canary' } });
    expect((await create('CANARY_DELETE_TEST', '/MooseQuest/app/nowhere')).body).toMatchObject({ statusCode: 404, error: 'CreateSecret' });
    vault.model.putSecret({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'CANARY_DELETE_TEST', value: 'left over' });
    expect((await create('CANARY_DELETE_TEST', '/MooseQuest/app')).body).toMatchObject({
      statusCode: 400,
      error: 'BadRequest',
      message: 'Secret already exists',
    });
    expect((await create('CANARY_DELETE_TEST_7F3A', '/MooseQuest/app')).body).toMatchObject({
      statusCode: 403,
      error: 'PermissionDenied',
      message: 'You are not allowed to create on secrets',
    });
    // Outside the scope the same order holds: the duplicate is reported before the permission.
    expect((await create('OPS_PAGER_TOKEN', '/Ops')).status).toBe(400);
  });

  it('update and delete: missing folder 404, missing key 404, then 403', async () => {
    const { token } = await appReader();
    const patch = (name: string, path: string) => vault.client.call('PATCH', raw(name), { token, body: { ...at(path), secretValue: 'x' } });
    expect((await patch('DEMO_API_KEY', '/MooseQuest/app/nowhere')).body).toMatchObject({ statusCode: 404, error: 'UpdateSecret' });
    expect((await patch('NO_SUCH_KEY', '/Ops')).body).toMatchObject({ statusCode: 404, message: 'Secret with name NO_SUCH_KEY not found' });
    expect((await patch('DEMO_API_KEY', '/MooseQuest/app')).body).toMatchObject({
      statusCode: 403,
      message: 'You are not allowed to edit on secrets',
    });
    const del = (name: string, path: string) => vault.client.call('DELETE', raw(name), { token, body: at(path) });
    expect((await del('X', '/MooseQuest/app/nowhere')).body).toMatchObject({ statusCode: 404, error: 'DeleteSecret' });
    expect((await del('NO_SUCH_KEY', '/MooseQuest/app')).body).toMatchObject({ statusCode: 404, message: 'Secret not found' });
    expect((await del('DEMO_API_KEY', '/MooseQuest/app')).body).toMatchObject({
      statusCode: 403,
      message: 'You are not allowed to delete on secrets',
    });
  });
});

describe('list: a type-level check, then 404 for a missing folder, then filtering', () => {
  it('filters what is out of scope out of a 200 and answers 404 SecretPathNotFound for a missing folder', async () => {
    const { token } = await appReader();
    const list = (path: string, extra = {}) => vault.client.call('GET', '/api/v3/secrets/raw', { token, query: { ...at(path), ...extra } });
    expect((await list('/Ops')).body).toEqual({ secrets: [], imports: [] });
    const mq = await list('/MooseQuest', { recursive: true });
    expect(mq.body.secrets.map((s: { secretKey: string }) => s.secretKey).sort()).toEqual(['DATABASE_PASSWORD', 'DEMO_API_KEY']);
    const missing = await list('/MooseQuest/app/nowhere');
    expect(missing.body).toMatchObject({
      statusCode: 404,
      error: 'SecretPathNotFound',
      message:
        "Folder with path '/MooseQuest/app/nowhere' in environment 'prod' was not found. Please ensure the environment slug and secret path is correct.",
    });
    expect((await list('/MooseQuest/app/nowhere', { recursive: true })).status).toBe(404);
  });

  it('refuses (403) only a caller holding no secrets rule at all', async () => {
    const { projectId, organizationId } = vault.model.seed;
    const folderOnly = await scopedIdentity(vault.client, projectId, organizationId, 'folder-only', [
      { subject: 'secret-folders', action: ['read'] },
    ]);
    const token = await folderOnly.token();
    const r = await vault.client.call('GET', '/api/v3/secrets/raw', { token, query: at('/MooseQuest/app') });
    expect(r.body).toMatchObject({
      statusCode: 403,
      error: 'PermissionDenied',
      message: 'You are not allowed to describeSecret on secrets',
    });
  });
});

describe('privilege by slug', () => {
  it('needs projectSlug (422 with only projectId) and answers 400 for an identity that is not a project member', async () => {
    const { id, admin } = await appReader();
    const { projectId, projectSlug } = vault.model.seed;
    const path = '/api/v2/identity-project-additional-privilege/slug/app-reader-read';
    const byId = await vault.client.call('GET', path, { token: admin, query: { identityId: id, projectId } });
    expect(byId.status).toBe(422);
    expect(byId.body.message[0].path).toEqual(['projectSlug']);
    expect((await vault.client.call('GET', path, { token: admin, query: { identityId: id, projectSlug } })).status).toBe(200);
    const other = await vault.client.call('GET', `${path}-x`, { token: admin, query: { identityId: id, projectSlug } });
    expect(other.body).toMatchObject({ statusCode: 404, message: "Additional privilege with name app-reader-read-x doesn't exist" });
    await vault.client.call('DELETE', `/api/v2/workspace/${projectId}/identity-memberships/${id}`, { token: admin });
    const gone = await vault.client.call('GET', path, { token: admin, query: { identityId: id, projectSlug } });
    expect(gone.body).toMatchObject({ statusCode: 400, error: 'BadRequest', message: "Actor doesn't have membership" });
  });
});
