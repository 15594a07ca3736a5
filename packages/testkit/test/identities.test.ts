import { describe, expect, it } from 'vitest';
import { MCP_IDENTITY_NAME } from '../src/index.js';
import { useMswVault } from './support/vault-client.js';

const vault = useMswVault();

describe('identities', () => {
  it('creates an identity (no-access by default) and allows duplicate names, as Infisical does', async () => {
    const token = await vault.client.adminToken();
    const body = { name: 'agent-dup', organizationId: vault.model.seed.organizationId };
    const a = await vault.client.call('POST', '/api/v1/identities', { token, body });
    expect(a.status).toBe(200);
    expect(a.body.identity).toMatchObject({
      id: expect.any(String),
      name: 'agent-dup',
      orgId: vault.model.seed.organizationId,
      authMethods: [],
      hasDeleteProtection: false,
      metadata: [],
    });
    expect((await vault.client.call('POST', '/api/v1/identities', { token, body })).status).toBe(200);
    expect(vault.model.findIdentitiesByName('agent-dup')).toEqual([
      expect.objectContaining({ orgRole: 'no-access', authMethods: [] }),
      expect.objectContaining({ orgRole: 'no-access' }),
    ]);
  });

  it('validates the body (422) and the org (403)', async () => {
    const token = await vault.client.adminToken();
    const missing = await vault.client.call('POST', '/api/v1/identities', { token, body: { name: 'x' } });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toEqual([expect.objectContaining({ path: ['organizationId'] })]);
    const foreign = await vault.client.call('POST', '/api/v1/identities', {
      token,
      body: { name: 'x', organizationId: crypto.randomUUID() },
    });
    expect(foreign.status).toBe(403);
  });

  it('gets an identity as an org membership with the identity nested', async () => {
    const token = await vault.client.adminToken();
    const { identityId } = vault.model.seed.mcp;
    const r = await vault.client.call('GET', `/api/v1/identities/${identityId}`, { token });
    expect(r.status).toBe(200);
    expect(r.body.identity).toMatchObject({
      id: expect.any(String),
      identityId,
      role: 'no-access',
      orgId: vault.model.seed.organizationId,
      identity: { id: identityId, name: MCP_IDENTITY_NAME, authMethods: ['universal-auth'], activeLockoutAuthMethods: [] },
    });
    expect(r.body.identity.id).not.toBe(identityId);
    const unknown = crypto.randomUUID();
    const missing = await vault.client.call('GET', `/api/v1/identities/${unknown}`, { token });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'NotFound', message: `Failed to find identity with id ${unknown}` });
  });

  it('lists by org (v1) and through v2 org identity-memberships with search and paging', async () => {
    const token = await vault.client.adminToken();
    const { organizationId } = vault.model.seed;
    const v1 = await vault.client.call('GET', '/api/v1/identities', { token, query: { orgId: organizationId } });
    expect(v1.body.totalCount).toBe(2);
    expect(v1.body.identities.map((i: { identity: { name: string } }) => i.identity.name)).toContain(MCP_IDENTITY_NAME);
    const v2 = await vault.client.call('GET', `/api/v2/organizations/${organizationId}/identity-memberships`, {
      token,
      query: { search: 'MCP-MAIN', limit: 10, offset: 0 },
    });
    expect(v2.body).toMatchObject({ totalCount: 1, identityMemberships: [{ identity: { name: MCP_IDENTITY_NAME } }] });
    const paged = await vault.client.call('GET', `/api/v2/organizations/${organizationId}/identity-memberships`, {
      token,
      query: { limit: 1 },
    });
    expect(paged.body.identityMemberships).toHaveLength(1);
    expect(paged.body.totalCount).toBe(2);
    const badLimit = await vault.client.call('GET', `/api/v2/organizations/${organizationId}/identity-memberships`, {
      token,
      query: { limit: 0 },
    });
    expect(badLimit.status).toBe(422);
    const noOrg = await vault.client.call('GET', '/api/v1/identities', { token });
    expect(noOrg.status).toBe(422);
  });

  it('deletes an identity with everything hanging off it; the scoped identity may not', async () => {
    const admin = await vault.client.adminToken();
    const mcp = await vault.client.mcpToken();
    const { identityId } = vault.model.seed.mcp;
    const denied = await vault.client.call('DELETE', `/api/v1/identities/${identityId}`, { token: mcp });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('PermissionDenied');
    const r = await vault.client.call('DELETE', `/api/v1/identities/${identityId}`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.identity).toMatchObject({ id: identityId, name: MCP_IDENTITY_NAME });
    expect(vault.model.findIdentitiesByName(MCP_IDENTITY_NAME)).toEqual([]);
    expect(vault.model.getMembership(identityId)).toBeUndefined();
    expect(vault.model.listPrivileges(identityId)).toEqual([]);
    expect((await vault.client.call('DELETE', `/api/v1/identities/${identityId}`, { token: admin })).status).toBe(404);
    // Its tokens die with it.
    expect((await vault.client.call('GET', '/api/v1/workspace', { token: mcp })).status).toBe(401);
  });

  it('refuses to delete a delete-protected identity', async () => {
    const token = await vault.client.adminToken();
    const created = await vault.client.call('POST', '/api/v1/identities', {
      token,
      body: { name: 'kept', organizationId: vault.model.seed.organizationId, hasDeleteProtection: true },
    });
    const r = await vault.client.call('DELETE', `/api/v1/identities/${created.body.identity.id}`, { token });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('Identity has delete protection');
  });

  it('searches identities by name (POST /api/v1/identities/search)', async () => {
    const token = await vault.client.adminToken();
    const r = await vault.client.call('POST', '/api/v1/identities/search', {
      token,
      body: { search: { name: { $eq: MCP_IDENTITY_NAME } } },
    });
    expect(r.body).toMatchObject({ totalCount: 1, identities: [{ identityId: vault.model.seed.mcp.identityId }] });
  });
});
