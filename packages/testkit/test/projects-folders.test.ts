import { describe, expect, it } from 'vitest';
import { useMswVault } from './support/vault-client.js';

const vault = useMswVault();

describe('projects and environments', () => {
  it('serves the project under /workspace and /projects with orgId and environments', async () => {
    const token = await vault.client.adminToken();
    const { projectId, organizationId, projectSlug } = vault.model.seed;
    const ws = await vault.client.call('GET', `/api/v1/workspace/${projectId}`, { token });
    expect(ws.status).toBe(200);
    expect(ws.body.workspace).toMatchObject({ id: projectId, _id: projectId, orgId: organizationId, slug: projectSlug });
    expect(ws.body.workspace.environments.map((e: { slug: string }) => e.slug).sort()).toEqual(['dev', 'prod', 'staging']);
    const pr = await vault.client.call('GET', `/api/v1/projects/${projectId}`, { token });
    expect(pr.body.project).toEqual(ws.body.workspace);
    expect((await vault.client.call('GET', `/api/v1/projects/slug/${projectSlug}`, { token })).body.project.id).toBe(projectId);
    expect((await vault.client.call('GET', '/api/v1/workspace', { token })).body.workspaces).toHaveLength(1);
  });

  it('404s an unknown project and 403s a non-member', async () => {
    const token = await vault.client.adminToken();
    const unknown = await vault.client.call('GET', `/api/v1/workspace/${crypto.randomUUID()}`, { token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('NotFound');
    const created = await vault.client.call('POST', '/api/v1/identities', {
      token,
      body: { name: 'outsider', organizationId: vault.model.seed.organizationId },
    });
    const id = created.body.identity.id;
    await vault.client.call('POST', `/api/v1/auth/universal-auth/identities/${id}`, { token, body: {} });
    const clientId = (await vault.client.call('GET', `/api/v1/auth/universal-auth/identities/${id}`, { token })).body.identityUniversalAuth
      .clientId;
    const secret = (await vault.client.call('POST', `/api/v1/auth/universal-auth/identities/${id}/client-secrets`, { token, body: {} }))
      .body.clientSecret;
    const outsider = await vault.client.login({ clientId, clientSecret: secret });
    const r = await vault.client.call('GET', `/api/v1/workspace/${vault.model.seed.projectId}`, { token: outsider });
    expect(r.status).toBe(403);
    expect((await vault.client.call('GET', '/api/v1/workspace', { token: outsider })).body.workspaces).toEqual([]);
  });

  it('creates an environment (admin only)', async () => {
    const token = await vault.client.adminToken();
    const r = await vault.client.call('POST', `/api/v1/workspace/${vault.model.seed.projectId}/environments`, {
      token,
      body: { name: 'QA', slug: 'qa' },
    });
    expect(r.status).toBe(200);
    expect(r.body.environment).toMatchObject({ name: 'QA', slug: 'qa' });
    expect(
      (
        await vault.client.call('POST', `/api/v1/workspace/${vault.model.seed.projectId}/environments`, {
          token,
          body: { name: 'QA', slug: 'qa' },
        })
      ).status,
    ).toBe(400);
    const mcp = await vault.client.mcpToken();
    const denied = await vault.client.call('POST', `/api/v1/workspace/${vault.model.seed.projectId}/environments`, {
      token: mcp,
      body: { name: 'X', slug: 'x' },
    });
    expect(denied.status).toBe(403);
  });
});

describe('folders', () => {
  const where = () => ({ workspaceId: vault.model.seed.projectId, environment: 'prod' });

  it('lists direct children sorted by name, and [] for a missing path', async () => {
    const token = await vault.client.adminToken();
    const r = await vault.client.call('GET', '/api/v1/folders', { token, query: { ...where(), path: '/MooseQuest/' } });
    expect(r.status).toBe(200);
    expect(r.body.folders.map((f: { name: string }) => f.name)).toEqual(['app', 'cloudflare', 'identities']);
    expect(r.body.folders[0]).toMatchObject({
      id: expect.any(String),
      envId: expect.any(String),
      parentId: expect.any(String),
      version: 1,
      isReserved: false,
    });
    const missing = await vault.client.call('GET', '/api/v1/folders', { token, query: { ...where(), path: '/Nope/Deeper' } });
    expect(missing.body).toEqual({ folders: [] });
    const badEnv = await vault.client.call('GET', '/api/v1/folders', { token, query: { ...where(), environment: 'qa' } });
    expect(badEnv.status).toBe(404);
  });

  it('creates missing parents (mkdir -p) and answers 400 when the folder exists', async () => {
    const token = await vault.client.adminToken();
    const body = { ...where(), path: '/MooseQuest/identities/new-agent', name: 'creds' };
    const r = await vault.client.call('POST', '/api/v1/folders', { token, body });
    expect(r.status).toBe(200);
    expect(r.body.folder).toMatchObject({ name: 'creds', path: '/MooseQuest/identities/new-agent/creds' });
    expect(vault.model.folderExists('prod', '/MooseQuest/identities/new-agent')).toBe(true);
    expect(vault.model.folderExists('dev', '/MooseQuest/identities/new-agent')).toBe(false);
    const again = await vault.client.call('POST', '/api/v1/folders', { token, body });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      error: 'BadRequest',
      message: "Folder with name 'creds' already exists in path '/MooseQuest/identities/new-agent'",
    });
  });

  it('validates folder names (422) and environments (404)', async () => {
    const token = await vault.client.adminToken();
    const bad = await vault.client.call('POST', '/api/v1/folders', { token, body: { ...where(), name: 'a/b' } });
    expect(bad.status).toBe(422);
    expect(bad.body.message[0].message).toBe('Invalid folder name. Only alphanumeric characters, dashes, and underscores are allowed.');
    const env = await vault.client.call('POST', '/api/v1/folders', { token, body: { ...where(), environment: 'qa', name: 'x' } });
    expect(env.status).toBe(404);
  });

  it('refuses folder writes to the read-only scoped identity, but lets it list any folder (no folder permission needed)', async () => {
    const token = await vault.client.mcpToken();
    const r = await vault.client.call('POST', '/api/v1/folders', { token, body: { ...where(), path: '/MooseQuest', name: 'x' } });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('PermissionDenied');
    expect(vault.model.folderExists('prod', '/MooseQuest/x')).toBe(false);
    // backend/src/services/secret-folder/secret-folder-service.ts: getFolders checks project membership only.
    const root = await vault.client.call('GET', '/api/v1/folders', { token, query: { ...where(), path: '/' } });
    expect(root.status).toBe(200);
    expect(root.body.folders.map((f: { name: string }) => f.name)).toEqual(['MooseQuest', 'Ops']);
    const dev = await vault.client.call('GET', '/api/v1/folders', {
      token,
      query: { ...where(), environment: 'dev', path: '/MooseQuest' },
    });
    expect(dev.body.folders.map((f: { name: string }) => f.name)).toEqual(['app', 'cloudflare', 'identities']);
  });

  it('DELETE /api/v1/folders/{name or id} removes a folder with its contents', async () => {
    const token = await vault.client.adminToken();
    const r = await vault.client.call('DELETE', '/api/v1/folders/app', { token, body: { ...where(), path: '/MooseQuest' } });
    expect(r.status).toBe(200);
    expect(r.body.folder).toMatchObject({ name: 'app' });
    expect(vault.model.folderExists('prod', '/MooseQuest/app')).toBe(false);
    expect(vault.model.folderExists('dev', '/MooseQuest/app')).toBe(true);
    expect(vault.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'DEMO_API_KEY' })).toBeUndefined();
    const listed = await vault.client.call('GET', '/api/v1/folders', { token, query: { ...where(), path: '/MooseQuest' } });
    const cloudflare = listed.body.folders.find((f: { name: string }) => f.name === 'cloudflare');
    const byId = await vault.client.call('DELETE', `/api/v1/folders/${cloudflare.id}`, {
      token,
      body: { ...where(), path: '/MooseQuest' },
    });
    expect(byId.status).toBe(200);
    expect(vault.model.folderExists('prod', '/MooseQuest/cloudflare')).toBe(false);
  });

  it('DELETE answers in the server order: permission (403), environment, parent folder, then the folder (404)', async () => {
    const token = await vault.client.adminToken();
    const del = (name: string, body: Record<string, unknown>, t = token) =>
      vault.client.call('DELETE', `/api/v1/folders/${name}`, { token: t, body: { ...where(), ...body } });
    expect((await del('app', { path: '/MooseQuest', environment: 'qa' })).body).toMatchObject({
      statusCode: 404,
      message: "Environment with slug 'qa' not found",
    });
    expect((await del('x', { path: '/Nowhere' })).body).toMatchObject({
      statusCode: 404,
      message: "Folder with path '/Nowhere' in environment with slug 'prod' not found",
    });
    expect((await del('nope', { path: '/MooseQuest' })).body).toMatchObject({
      statusCode: 404,
      message: "Folder with ID 'nope' not found",
    });
    const mcp = await vault.client.mcpToken();
    const refused = await del('app', { path: '/MooseQuest' }, mcp);
    expect(refused.body).toMatchObject({
      statusCode: 403,
      error: 'PermissionDenied',
      message: 'You are not allowed to delete on secret-folders',
    });
    expect(vault.model.folderExists('prod', '/MooseQuest/app')).toBe(true);
  });
});
