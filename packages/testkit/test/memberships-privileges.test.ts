import { describe, expect, it } from 'vitest';
import { useMswVault } from './support/vault-client.js';

const vault = useMswVault();
const PRIV = '/api/v2/identity-project-additional-privilege';
const member = (identityId: string) => `/api/v2/workspace/${vault.model.seed.projectId}/identity-memberships/${identityId}`;
const readRule = (secretPath: unknown, environment = 'prod') => ({
  subject: 'secrets',
  action: 'read',
  conditions: { environment, secretPath },
});

/** A new identity with universal auth and a client secret; not a project member yet. */
async function onboardIdentity(admin: string, name: string) {
  const { organizationId } = vault.model.seed;
  const id = (await vault.client.call('POST', '/api/v1/identities', { token: admin, body: { name, organizationId } })).body.identity
    .id as string;
  const ua = await vault.client.call('POST', `/api/v1/auth/universal-auth/identities/${id}`, {
    token: admin,
    body: { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 },
  });
  const secret = await vault.client.call('POST', `/api/v1/auth/universal-auth/identities/${id}/client-secrets`, { token: admin, body: {} });
  return {
    id,
    login: () => vault.client.login({ clientId: ua.body.identityUniversalAuth.clientId, clientSecret: secret.body.clientSecret }),
  };
}

describe('project identity memberships', () => {
  it('adds with role no-access by default, reads, lists, patches and removes', async () => {
    const admin = await vault.client.adminToken();
    const { id } = await onboardIdentity(admin, 'agent-m');
    const created = await vault.client.call('POST', member(id), { token: admin, body: {} });
    expect(created.status).toBe(200);
    expect(created.body.identityMembership).toEqual({
      id: expect.any(String),
      projectId: vault.model.seed.projectId,
      identityId: id,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(vault.model.getMembership(id)).toEqual({ id: created.body.identityMembership.id, roles: ['no-access'] });

    const again = await vault.client.call('POST', member(id), { token: admin, body: { role: 'no-access' } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'BadRequest', message: 'Identity is already a member' });

    const got = await vault.client.call('GET', member(id), { token: admin });
    expect(got.body.identityMembership).toMatchObject({
      identityId: id,
      roles: [{ role: 'no-access', isTemporary: false }],
      identity: { id, name: 'agent-m', authMethods: ['universal-auth'] },
      project: { id: vault.model.seed.projectId },
    });
    const list = await vault.client.call('GET', `/api/v2/workspace/${vault.model.seed.projectId}/identity-memberships`, { token: admin });
    expect(list.body.totalCount).toBe(3);

    const patched = await vault.client.call('PATCH', member(id), { token: admin, body: { roles: [{ role: 'viewer' }] } });
    expect(patched.body.roles).toEqual([expect.objectContaining({ role: 'viewer' })]);
    expect((await vault.client.call('DELETE', member(id), { token: admin })).status).toBe(200);
    expect((await vault.client.call('GET', member(id), { token: admin })).status).toBe(404);
    expect((await vault.client.call('DELETE', member(id), { token: admin })).status).toBe(400);
  });

  it('rejects unknown roles, unknown identities and the scoped identity as caller', async () => {
    const admin = await vault.client.adminToken();
    const { id } = await onboardIdentity(admin, 'agent-r');
    expect((await vault.client.call('POST', member(id), { token: admin, body: { role: 'superuser' } })).status).toBe(404);
    const ghost = crypto.randomUUID();
    const r = await vault.client.call('POST', member(ghost), { token: admin, body: {} });
    expect(r.body).toMatchObject({ statusCode: 400, message: `Identity ${ghost} is missing organization membership` });
    const mcp = await vault.client.mcpToken();
    expect((await vault.client.call('POST', member(id), { token: mcp, body: {} })).status).toBe(403);
    expect(vault.model.getMembership(id)).toBeUndefined();
  });
});

describe('additional privileges', () => {
  it('creates (action comes back as an array), gets by id and slug, lists, patches and deletes', async () => {
    const admin = await vault.client.adminToken();
    const { id } = await onboardIdentity(admin, 'agent-p');
    await vault.client.call('POST', member(id), { token: admin, body: { role: 'no-access' } });
    const body = {
      identityId: id,
      projectId: vault.model.seed.projectId,
      slug: 'agent-p-read',
      type: { isTemporary: false },
      permissions: [readRule({ $glob: '/MooseQuest/app/**' })],
    };
    const created = await vault.client.call('POST', PRIV, { token: admin, body });
    expect(created.status).toBe(200);
    const privilege = created.body.privilege;
    expect(privilege).toMatchObject({
      slug: 'agent-p-read',
      isTemporary: false,
      temporaryMode: null,
      permissions: [
        { subject: 'secrets', action: ['read'], conditions: { environment: 'prod', secretPath: { $glob: '/MooseQuest/app/**' } } },
      ],
    });
    expect(vault.model.listPrivileges(id)).toEqual([{ id: privilege.id, slug: 'agent-p-read', permissions: privilege.permissions }]);

    const dup = await vault.client.call('POST', PRIV, { token: admin, body });
    expect(dup.body).toMatchObject({ statusCode: 400, message: 'Additional privilege with name agent-p-read exists' });

    expect((await vault.client.call('GET', `${PRIV}/${privilege.id}`, { token: admin })).body.privilege.slug).toBe('agent-p-read');
    const bySlug = await vault.client.call('GET', `${PRIV}/slug/agent-p-read`, {
      token: admin,
      query: { identityId: id, projectSlug: vault.model.seed.projectSlug },
    });
    expect(bySlug.body.privilege.id).toBe(privilege.id);
    const list = await vault.client.call('GET', PRIV, { token: admin, query: { identityId: id, projectId: vault.model.seed.projectId } });
    expect(list.body.privileges).toEqual([expect.objectContaining({ id: privilege.id, slug: 'agent-p-read' })]);
    expect(list.body.privileges[0]).not.toHaveProperty('permissions');

    const patched = await vault.client.call('PATCH', `${PRIV}/${privilege.id}`, {
      token: admin,
      body: { slug: 'agent-p-read', type: { isTemporary: false }, permissions: [readRule({ $glob: '/Ops/**' })] },
    });
    expect(patched.body.privilege.permissions[0].conditions.secretPath).toEqual({ $glob: '/Ops/**' });

    expect((await vault.client.call('DELETE', `${PRIV}/${privilege.id}`, { token: admin })).status).toBe(200);
    const gone = await vault.client.call('GET', `${PRIV}/${privilege.id}`, { token: admin });
    expect(gone.body).toMatchObject({ statusCode: 404, message: `Additional privilege with id ${privilege.id} doesn't exist` });
  });

  it('validates slugs and permissions with 422, legacy read mixes with 400, non-members with 400', async () => {
    const admin = await vault.client.adminToken();
    const { id } = await onboardIdentity(admin, 'agent-v');
    const base = { identityId: id, projectId: vault.model.seed.projectId, type: { isTemporary: false }, permissions: [readRule('/x')] };
    const noMember = await vault.client.call('POST', PRIV, { token: admin, body: { ...base, slug: 'ok' } });
    expect(noMember.body).toMatchObject({ statusCode: 400, error: 'BadRequest', message: "Actor doesn't have membership" });
    await vault.client.call('POST', member(id), { token: admin, body: {} });

    const badSlug = await vault.client.call('POST', PRIV, { token: admin, body: { ...base, slug: 'Bad_Slug' } });
    expect(badSlug.status).toBe(422);
    expect(badSlug.body.message[0].message).toBe('Slug field can only contain lowercase letters, numbers, and hyphens');
    const badPath = await vault.client.call('POST', PRIV, { token: admin, body: { ...base, permissions: [readRule('MooseQuest')] } });
    expect(badPath.status).toBe(422);
    expect(badPath.body.message[0].message).toBe("Invalid Secret Path; it must start with a '/'");
    const badAction = await vault.client.call('POST', PRIV, {
      token: admin,
      body: { ...base, permissions: [{ subject: 'secrets', action: ['write'] }] },
    });
    expect(badAction.status).toBe(422);
    const noType = await vault.client.call('POST', PRIV, { token: admin, body: { ...base, type: undefined } });
    expect(noType.status).toBe(422);
    const legacy = await vault.client.call('POST', PRIV, {
      token: admin,
      body: { ...base, permissions: [{ subject: 'secrets', action: ['read', 'readValue'] }] },
    });
    expect(legacy.status).toBe(400);
    // backend/src/lib/casl/index.ts: the operator is `$ne`; `$neq` is no key of the condition schema.
    const neq = await vault.client.call('POST', PRIV, {
      token: admin,
      body: { ...base, slug: 'neq', permissions: [readRule({ $neq: '/Ops' })] },
    });
    expect(neq.status).toBe(422);
    expect(neq.body.message[0].message).toBe("Unrecognized key(s) in object: '$neq'");
    const ne = await vault.client.call('POST', PRIV, {
      token: admin,
      body: { ...base, slug: 'ne', permissions: [readRule({ $ne: '/Ops' })] },
    });
    expect(ne.status).toBe(200);
    const generated = await vault.client.call('POST', PRIV, { token: admin, body: base });
    expect(generated.body.privilege.slug).toMatch(/^[a-z0-9]{8}$/);
  });

  it('grants exactly what the rules say: describe without readValue, inverted rules, temporary windows', async () => {
    const admin = await vault.client.adminToken();
    const agent = await onboardIdentity(admin, 'agent-e');
    await vault.client.call('POST', member(agent.id), { token: admin, body: {} });
    const q = (secretPath: string) => ({ workspaceId: vault.model.seed.projectId, environment: 'prod', secretPath });
    let token = await agent.login();
    expect((await vault.client.call('GET', '/api/v3/secrets/raw/DEMO_API_KEY', { token, query: q('/MooseQuest/app') })).status).toBe(403);

    await vault.client.call('POST', PRIV, {
      token: admin,
      body: {
        identityId: agent.id,
        projectId: vault.model.seed.projectId,
        slug: 'describe-only',
        type: { isTemporary: false },
        permissions: [
          { subject: 'secrets', action: ['describeSecret'], conditions: { environment: 'prod', secretPath: { $glob: '/MooseQuest/**' } } },
          { subject: 'secrets', action: ['readValue'], conditions: { environment: 'prod', secretPath: '/MooseQuest/app' } },
          {
            subject: 'secrets',
            action: ['readValue'],
            inverted: true,
            conditions: { environment: 'prod', secretPath: '/MooseQuest/app', secretName: 'DATABASE_PASSWORD' },
          },
        ],
      },
    });
    token = await agent.login();
    expect((await vault.client.call('GET', '/api/v3/secrets/raw/DEMO_API_KEY', { token, query: q('/MooseQuest/app') })).status).toBe(200);
    const inverted = await vault.client.call('GET', '/api/v3/secrets/raw/DATABASE_PASSWORD', { token, query: q('/MooseQuest/app') });
    expect(inverted.status).toBe(403);
    expect(inverted.body.error).toBe('ForbiddenReadSecretError');
    // Listing with values (the default) where the caller may only describe is a 403 for the whole list…
    const withValues = await vault.client.call('GET', '/api/v3/secrets/raw', { token, query: q('/MooseQuest/cloudflare') });
    expect(withValues.body).toMatchObject({
      statusCode: 403,
      error: 'PermissionDenied',
      message: 'You are not allowed to readValue on secrets',
    });
    expect(withValues.text).not.toContain(vault.model.seed.cfAccessClientSecret);
    // …and without values a list of masked secrets.
    const described = await vault.client.call('GET', '/api/v3/secrets/raw', {
      token,
      query: { ...q('/MooseQuest/cloudflare'), viewSecretValue: false },
    });
    expect(described.body.secrets.every((s: { secretValueHidden: boolean }) => s.secretValueHidden)).toBe(true);
    expect(described.text).not.toContain(vault.model.seed.cfAccessClientSecret);

    await vault.client.call('POST', PRIV, {
      token: admin,
      body: {
        identityId: agent.id,
        projectId: vault.model.seed.projectId,
        slug: 'ops-for-an-hour',
        type: {
          isTemporary: true,
          temporaryMode: 'relative',
          temporaryRange: '1h',
          temporaryAccessStartTime: new Date(vault.model.now()).toISOString(),
        },
        permissions: [readRule({ $glob: '/Ops/**' })],
      },
    });
    expect((await vault.client.call('GET', '/api/v3/secrets/raw/OPS_PAGER_TOKEN', { token, query: q('/Ops') })).status).toBe(200);
    vault.model.advanceTime(3_600_001);
    token = await agent.login();
    expect((await vault.client.call('GET', '/api/v3/secrets/raw/OPS_PAGER_TOKEN', { token, query: q('/Ops') })).status).toBe(403);
  });
});
