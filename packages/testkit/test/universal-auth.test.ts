import { describe, expect, it } from 'vitest';
import { useMswVault } from './support/vault-client.js';

const vault = useMswVault();
const LOGIN = '/api/v1/auth/universal-auth/login';
const ua = (id: string) => `/api/v1/auth/universal-auth/identities/${id}`;

async function newIdentity(token: string, name = 'agent-x'): Promise<string> {
  const r = await vault.client.call('POST', '/api/v1/identities', {
    token,
    body: { name, organizationId: vault.model.seed.organizationId, role: 'no-access' },
  });
  expect(r.status).toBe(200);
  return r.body.identity.id;
}

describe('universal-auth login', () => {
  it('issues a bearer token with the identity TTL for the seeded identities', async () => {
    const r = await vault.client.call('POST', LOGIN, { body: vault.model.seed.mcp });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accessToken: expect.any(String), expiresIn: 3600, accessTokenMaxTTL: 7200, tokenType: 'Bearer' });
    expect(r.body.accessToken.split('.')).toHaveLength(3);
    const admin = await vault.client.call('POST', LOGIN, { body: vault.model.seed.admin });
    expect(admin.status).toBe(200);
  });

  it('answers 401 "Invalid credentials" for an unknown client id or a wrong secret', async () => {
    for (const body of [
      { clientId: crypto.randomUUID(), clientSecret: vault.model.seed.mcp.clientSecret },
      { clientId: vault.model.seed.mcp.clientId, clientSecret: 'a'.repeat(64) },
    ]) {
      const r = await vault.client.call('POST', LOGIN, { body });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        reqId: expect.stringMatching(/^req-/),
        statusCode: 401,
        message: 'Invalid credentials',
        error: 'UnauthorizedError',
      });
    }
  });

  it('answers 422 ValidationFailure with zod-like issues when fields are missing', async () => {
    const r = await vault.client.call('POST', LOGIN, { body: { clientId: 'x' } });
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('ValidationFailure');
    expect(r.body.message).toEqual([expect.objectContaining({ code: 'invalid_type', path: ['clientSecret'], message: 'Required' })]);
  });

  it('locks the identity out after 3 failures, even for the right secret, until the lockout ends', async () => {
    const { mcp } = vault.model.seed;
    for (let i = 0; i < 3; i++)
      expect((await vault.client.call('POST', LOGIN, { body: { ...mcp, clientSecret: `bad${i}` } })).status).toBe(401);
    const locked = await vault.client.call('POST', LOGIN, { body: mcp });
    expect(locked.status).toBe(401);
    expect(locked.body.message).toBe('This identity auth method is temporarily locked, please try again later');
    const adminToken = await vault.client.adminToken();
    const view = await vault.client.call('GET', `/api/v1/identities/${mcp.identityId}`, { token: adminToken });
    expect(view.body.identity.identity.activeLockoutAuthMethods).toEqual(['universal-auth']);
    vault.model.advanceTime(301_000);
    expect((await vault.client.call('POST', LOGIN, { body: mcp })).status).toBe(200);
  });

  it('forgets failures older than the counter reset window', async () => {
    const { mcp } = vault.model.seed;
    for (let i = 0; i < 2; i++) await vault.client.call('POST', LOGIN, { body: { ...mcp, clientSecret: 'bad' } });
    vault.model.advanceTime(31_000);
    await vault.client.call('POST', LOGIN, { body: { ...mcp, clientSecret: 'bad' } });
    expect((await vault.client.call('POST', LOGIN, { body: mcp })).status).toBe(200);
  });
});

describe('access tokens', () => {
  it('rejects a missing token with 401 "Token missing"', async () => {
    const r = await vault.client.call('GET', `/api/v1/workspace/${vault.model.seed.projectId}`);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ statusCode: 401, message: 'Token missing', error: 'UnauthorizedError' });
  });

  it('rejects a malformed or foreign token with 403 TokenError', async () => {
    const malformed = await vault.client.call('GET', '/api/v1/workspace', { token: 'not-a-jwt' });
    expect(malformed.status).toBe(403);
    expect(malformed.body).toMatchObject({ error: 'TokenError', message: expect.stringContaining('malformed') });
    // Right shape, but not signed with this model's key.
    const payload = Buffer.from(JSON.stringify({ identityId: vault.model.seed.admin.identityId })).toString('base64url');
    const forged = `eyJhbGciOiJIUzI1NiJ9.${payload}.${'A'.repeat(43)}`;
    const foreign = await vault.client.call('GET', '/api/v1/workspace', { token: forged });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ error: 'TokenError', message: 'invalid signature' });
  });

  it('expires after the TTL; a new login gives a working token', async () => {
    const token = await vault.client.mcpToken();
    const path = `/api/v3/secrets/raw/${vault.model.seed.probe.key}`;
    const query = { workspaceId: vault.model.seed.projectId, environment: 'prod', secretPath: vault.model.seed.probe.path };
    expect((await vault.client.call('GET', path, { token, query })).status).toBe(200);
    vault.model.advanceTime(3600_000);
    const expired = await vault.client.call('GET', path, { token, query });
    expect(expired.status).toBe(403);
    expect(expired.body).toMatchObject({ error: 'TokenError', message: 'Your token has expired. Please re-authenticate.' });
    expect((await vault.client.call('GET', path, { token: await vault.client.mcpToken(), query })).status).toBe(200);
  });

  it('revokes a token on request', async () => {
    const token = await vault.client.adminToken();
    expect((await vault.client.call('POST', '/api/v1/auth/token/revoke', { body: { accessToken: token } })).status).toBe(200);
    const r = await vault.client.call('GET', '/api/v1/workspace', { token });
    expect(r.status).toBe(401);
  });
});

describe('universal-auth configuration', () => {
  it('attaches with defaults, reads, patches and removes', async () => {
    const token = await vault.client.adminToken();
    const id = await newIdentity(token);
    const attached = await vault.client.call('POST', ua(id), { token, body: {} });
    expect(attached.status).toBe(200);
    expect(attached.body.identityUniversalAuth).toMatchObject({
      identityId: id,
      clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      accessTokenTTL: 2592000,
      accessTokenMaxTTL: 2592000,
      accessTokenNumUsesLimit: 0,
      clientSecretTrustedIps: [
        { ipAddress: '0.0.0.0', type: 'ipv4', prefix: 0 },
        { ipAddress: '::', type: 'ipv6', prefix: 0 },
      ],
    });
    expect(attached.body.identityUniversalAuth).not.toHaveProperty('orgId');
    expect(vault.model.findIdentitiesByName('agent-x')[0]?.authMethods).toEqual(['universal-auth']);

    const again = await vault.client.call('POST', ua(id), { token, body: {} });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'BadRequest', message: 'Failed to add universal auth to already configured identity' });

    const patched = await vault.client.call('PATCH', ua(id), { token, body: { accessTokenTTL: 600, accessTokenMaxTTL: 1200 } });
    expect(patched.body.identityUniversalAuth).toMatchObject({ accessTokenTTL: 600, accessTokenMaxTTL: 1200 });
    expect((await vault.client.call('GET', ua(id), { token })).body.identityUniversalAuth.accessTokenTTL).toBe(600);

    expect((await vault.client.call('DELETE', ua(id), { token })).status).toBe(200);
    const gone = await vault.client.call('GET', ua(id), { token });
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe(`Failed to find universal auth for identity with ID ${id}`);
  });

  it('validates TTLs (422 when TTL > max TTL) and refuses IP ranges on the free plan', async () => {
    const token = await vault.client.adminToken();
    const id = await newIdentity(token);
    const bad = await vault.client.call('POST', ua(id), { token, body: { accessTokenTTL: 7200, accessTokenMaxTTL: 3600 } });
    expect(bad.status).toBe(422);
    expect(bad.body.message[0].message).toBe('Access Token TTL cannot be greater than Access Token Max TTL.');
    const ip = await vault.client.call('POST', ua(id), { token, body: { clientSecretTrustedIps: [{ ipAddress: '10.0.0.0/8' }] } });
    expect(ip.status).toBe(400);
    const notIp = await vault.client.call('POST', ua(id), { token, body: { accessTokenTrustedIps: [{ ipAddress: 'nope' }] } });
    expect(notIp.body.message).toBe('The IP is not a valid IPv4, IPv6, or CIDR block');
  });

  it('404s an unknown identity and refuses a caller without org permission', async () => {
    const admin = await vault.client.adminToken();
    const missing = crypto.randomUUID();
    const r = await vault.client.call('GET', ua(missing), { token: admin });
    expect(r.status).toBe(404);
    expect(r.body.message).toBe(`Failed to find identity with ID ${missing}`);
    const mcp = await vault.client.mcpToken();
    const denied = await vault.client.call('POST', ua(await newIdentity(admin)), { token: mcp, body: {} });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('PermissionDenied');
  });
});

describe('client secrets', () => {
  async function setup(body: Record<string, unknown> = {}) {
    const token = await vault.client.adminToken();
    const id = await newIdentity(token);
    await vault.client.call('POST', ua(id), { token, body: { accessTokenTTL: 60, accessTokenMaxTTL: 120 } });
    const clientId = (await vault.client.call('GET', ua(id), { token })).body.identityUniversalAuth.clientId as string;
    const created = await vault.client.call('POST', `${ua(id)}/client-secrets`, {
      token,
      body: { description: 'prod 2026-06-20', ...body },
    });
    return { token, id, clientId, created };
  }

  it('creates a 64-hex secret returned once, with prefix and sanitized data', async () => {
    const { created, id, clientId } = await setup();
    expect(created.status).toBe(200);
    const { clientSecret, clientSecretData } = created.body;
    expect(clientSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(clientSecretData).toMatchObject({
      clientSecretPrefix: clientSecret.slice(0, 4),
      description: 'prod 2026-06-20',
      clientSecretNumUses: 0,
      clientSecretNumUsesLimit: 0,
      clientSecretTTL: 0,
      isClientSecretRevoked: false,
    });
    expect(JSON.stringify(clientSecretData)).not.toContain(clientSecret);
    expect(JSON.stringify(vault.model.listClientSecrets(id))).not.toContain(clientSecret);
    const login = await vault.client.call('POST', LOGIN, { body: { clientId, clientSecret } });
    expect(login.body).toMatchObject({ expiresIn: 60, accessTokenMaxTTL: 120 });
  });

  it('lists only non-revoked secrets, gets one, soft-revokes it and refuses logins with it', async () => {
    const { token, id, clientId, created } = await setup();
    const secretId = created.body.clientSecretData.id;
    const list = await vault.client.call('GET', `${ua(id)}/client-secrets`, { token });
    expect(list.body.clientSecretData.map((s: { id: string }) => s.id)).toEqual([secretId]);
    expect((await vault.client.call('GET', `${ua(id)}/client-secrets/${secretId}`, { token })).body.clientSecretData.id).toBe(secretId);
    const revoked = await vault.client.call('POST', `${ua(id)}/client-secrets/${secretId}/revoke`, { token });
    expect(revoked.body.clientSecretData.isClientSecretRevoked).toBe(true);
    expect((await vault.client.call('GET', `${ua(id)}/client-secrets`, { token })).body.clientSecretData).toEqual([]);
    expect(vault.model.listClientSecrets(id, { includeRevoked: true })).toEqual([expect.objectContaining({ id: secretId, revoked: true })]);
    expect((await vault.client.call('POST', `${ua(id)}/client-secrets/${secretId}/revoke`, { token })).status).toBe(200);
    const login = await vault.client.call('POST', LOGIN, { body: { clientId, clientSecret: created.body.clientSecret } });
    expect(login.status).toBe(401);
    const unknown = await vault.client.call('POST', `${ua(id)}/client-secrets/${crypto.randomUUID()}/revoke`, { token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(`Failed to find identity with ID ${id}`);
  });

  it('expires a secret after its TTL (and revokes it)', async () => {
    const { id, clientId, created } = await setup({ ttl: 60 });
    vault.model.advanceTime(61_000);
    const r = await vault.client.call('POST', LOGIN, { body: { clientId, clientSecret: created.body.clientSecret } });
    expect(r.status).toBe(401);
    expect(r.body.message).toBe('Access denied due to expired client secret');
    expect(vault.model.listClientSecrets(id, { includeRevoked: true })[0]?.revoked).toBe(true);
  });

  it('enforces the use limit', async () => {
    const { clientId, created } = await setup({ numUsesLimit: 2 });
    const body = { clientId, clientSecret: created.body.clientSecret };
    expect((await vault.client.call('POST', LOGIN, { body })).status).toBe(200);
    expect((await vault.client.call('POST', LOGIN, { body })).status).toBe(200);
    const third = await vault.client.call('POST', LOGIN, { body });
    expect(third.status).toBe(401);
    expect(third.body.message).toBe('Access denied due to client secret usage limit reached');
  });

  it('refuses client secrets for an identity without universal auth', async () => {
    const token = await vault.client.adminToken();
    const id = await newIdentity(token);
    const r = await vault.client.call('POST', `${ua(id)}/client-secrets`, { token, body: {} });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('The identity does not have universal auth');
  });
});
