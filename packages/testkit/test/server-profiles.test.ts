import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVaultHandlers, createVaultModel, SERVER_PROFILES, type VaultModelOptions } from '../src/index.js';
import { readUnder, scopedIdentity } from './support/scoped-identity.js';
import { vaultClient } from './support/vault-client.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

/** A fresh model behind msw, answering as `options` say. */
function vaultAs(options: VaultModelOptions) {
  const model = createVaultModel(options);
  server.resetHandlers(...createVaultHandlers(model));
  return { model, client: vaultClient(model) };
}

/** A bare identity of the org: no universal auth, no project membership. */
async function bareIdentity(v: ReturnType<typeof vaultAs>) {
  const token = await v.client.adminToken();
  const r = await v.client.call('POST', '/api/v1/identities', {
    token,
    body: { name: 'agent-bare', organizationId: v.model.seed.organizationId },
  });
  return { token, id: r.body.identity.id as string };
}

describe.each(SERVER_PROFILES)('both profiles (%s) share the server rules', (profile) => {
  it('reports which build it is', () => {
    expect(vaultAs({ server: profile }).model.server).toBe(profile);
  });

  it('answers "already a member", privilege-by-slug 400 for non-members and open folder listing alike', async () => {
    const v = vaultAs({ server: profile });
    const { token, id } = await bareIdentity(v);
    const { projectId, projectSlug } = v.model.seed;
    const slug = await v.client.call('GET', '/api/v2/identity-project-additional-privilege/slug/x', {
      token,
      query: { identityId: id, projectSlug },
    });
    expect(slug.body).toMatchObject({ statusCode: 400, message: "Actor doesn't have membership" });
    await v.client.call('POST', `/api/v2/workspace/${projectId}/identity-memberships/${id}`, { token, body: {} });
    const again = await v.client.call('POST', `/api/v2/workspace/${projectId}/identity-memberships/${id}`, { token, body: {} });
    expect(again.body).toMatchObject({ statusCode: 400, message: 'Identity is already a member' });
  });
});

describe('the legacy profile answers the older variants', () => {
  it('400 for universal auth not attached and for a missing project membership (current: 404)', async () => {
    for (const [profile, status] of [
      ['current', 404],
      ['legacy', 400],
    ] as const) {
      const v = vaultAs({ server: profile });
      const { token, id } = await bareIdentity(v);
      const ua = await v.client.call('GET', `/api/v1/auth/universal-auth/identities/${id}`, { token });
      expect(ua.status, profile).toBe(status);
      const member = await v.client.call('GET', `/api/v2/workspace/${v.model.seed.projectId}/identity-memberships/${id}`, { token });
      expect(member.status, profile).toBe(status);
      if (profile === 'legacy') {
        expect(ua.body).toMatchObject({ error: 'BadRequest', message: 'The identity does not have universal auth' });
        expect(member.body).toMatchObject({ error: 'BadRequest', message: `Membership not found for identity ${id}` });
      }
    }
  });

  it('filters the org identity list with textFilter and ignores search', async () => {
    const v = vaultAs({ server: 'legacy' });
    const token = await v.client.adminToken();
    const path = `/api/v2/organizations/${v.model.seed.organizationId}/identity-memberships`;
    const bySearch = await v.client.call('GET', path, { token, query: { search: 'mcp-main' } });
    expect(bySearch.body.totalCount).toBe(2); // not filtered: both seeded identities
    const byText = await v.client.call('GET', path, { token, query: { textFilter: 'mcp-main' } });
    expect(byText.body.identityMemberships.map((m: { identity: { name: string } }) => m.identity.name)).toEqual([v.model.seed.mcp.name]);
    const current = vaultAs({});
    const currentToken = await current.client.adminToken();
    const currentPath = `/api/v2/organizations/${current.model.seed.organizationId}/identity-memberships`;
    expect(
      (await current.client.call('GET', currentPath, { token: currentToken, query: { textFilter: 'mcp-main' } })).body.totalCount,
    ).toBe(2);
  });

  it('knows only read/create/edit/delete as secrets actions (422 for describeSecret, readValue)', async () => {
    const v = vaultAs({ server: 'legacy' });
    const { projectId, organizationId } = v.model.seed;
    await expect(
      scopedIdentity(v.client, projectId, organizationId, 'split-actions', [{ subject: 'secrets', action: ['describeSecret'] }]),
    ).rejects.toThrow(/422|Invalid enum value/);
    const ok = await scopedIdentity(v.client, projectId, organizationId, 'legacy-read', [readUnder('/MooseQuest/app/**')]);
    const r = await v.client.call('GET', '/api/v3/secrets/raw/DEMO_API_KEY', {
      token: await ok.token(),
      query: { workspaceId: projectId, environment: 'prod', secretPath: '/MooseQuest/app' },
    });
    expect(r.status).toBe(200);
  });

  it('lists a missing folder as empty and words a duplicate create "Secret already exist" (older builds)', async () => {
    const v = vaultAs({ server: 'legacy' });
    const token = await v.client.adminToken();
    const where = { workspaceId: v.model.seed.projectId, environment: 'prod' };
    const list = await v.client.call('GET', '/api/v3/secrets/raw', { token, query: { ...where, secretPath: '/Nowhere' } });
    expect(list.body).toEqual({ secrets: [], imports: [] });
    const dup = await v.client.call('POST', '/api/v3/secrets/raw/DEMO_API_KEY', {
      token,
      body: { ...where, secretPath: '/MooseQuest/app', secretValue: 'x' },
    });
    expect(dup.body).toMatchObject({ statusCode: 400, message: 'Secret already exist' });
  });
});

describe('a build without the v2 privilege routes', () => {
  it("answers Fastify's 404 route-not-found on every /api/v2/identity-project-additional-privilege route", async () => {
    const v = vaultAs({ v2PrivilegeRoutes: false });
    const token = await v.client.adminToken();
    const r = await v.client.call('POST', '/api/v2/identity-project-additional-privilege', { token, body: {} });
    expect(r.body).toEqual({
      message: 'Route POST:/api/v2/identity-project-additional-privilege not found',
      error: 'Not Found',
      statusCode: 404,
    });
    const slug = await v.client.call('GET', '/api/v2/identity-project-additional-privilege/slug/x', { token });
    expect(slug.body).toMatchObject({ error: 'Not Found', statusCode: 404 });
  });

  it('refuses an unknown profile name', () => {
    expect(() => createVaultModel({ server: 'ancient' as never })).toThrow(/unknown server profile/);
  });
});
