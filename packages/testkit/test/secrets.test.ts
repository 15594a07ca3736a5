import { describe, expect, it } from 'vitest';
import { HIDDEN_SECRET_VALUE } from '../src/index.js';
import { useMswVault } from './support/vault-client.js';

const vault = useMswVault();
const raw = (name: string) => `/api/v3/secrets/raw/${name}`;
const at = (secretPath: string, environment = 'prod') => ({ workspaceId: vault.model.seed.projectId, environment, secretPath });

describe('secrets as the admin', () => {
  it('creates, reads, updates (new version, history kept) and deletes', async () => {
    const token = await vault.client.adminToken();
    const created = await vault.client.call('POST', raw('NEW_KEY'), { token, body: { ...at('/MooseQuest/app'), secretValue: 'v1-value' } });
    expect(created.status).toBe(200);
    expect(created.body.secret).toMatchObject({
      secretKey: 'NEW_KEY',
      secretValue: 'v1-value',
      version: 1,
      type: 'shared',
      environment: 'prod',
    });
    expect(created.body.secret).not.toHaveProperty('secretPath');

    const updated = await vault.client.call('PATCH', raw('NEW_KEY'), {
      token,
      body: { ...at('/MooseQuest/app'), secretValue: 'v2-value' },
    });
    expect(updated.body.secret).toMatchObject({ version: 2, secretValue: 'v2-value', secretValueHidden: false });
    expect(vault.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/app/', secretKey: 'NEW_KEY' })).toEqual({
      value: 'v2-value',
      version: 2,
    });

    const v1 = await vault.client.call('GET', raw('NEW_KEY'), { token, query: { ...at('/MooseQuest/app'), version: 1 } });
    expect(v1.body.secret).toMatchObject({ version: 1, secretValue: 'v1-value' });

    const deleted = await vault.client.call('DELETE', raw('NEW_KEY'), { token, body: at('/MooseQuest/app') });
    expect(deleted.status).toBe(200);
    expect((await vault.client.call('GET', raw('NEW_KEY'), { token, query: at('/MooseQuest/app') })).status).toBe(404);
  });

  it('answers 400 "Secret already exists" on a duplicate create', async () => {
    const token = await vault.client.adminToken();
    const r = await vault.client.call('POST', raw('DEMO_API_KEY'), { token, body: { ...at('/MooseQuest/app'), secretValue: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ reqId: expect.any(String), statusCode: 400, message: 'Secret already exists', error: 'BadRequest' });
  });

  it('does not create folders for secrets: 404 with error "CreateSecret"', async () => {
    const token = await vault.client.adminToken();
    const r = await vault.client.call('POST', raw('X'), { token, body: { ...at('/MooseQuest/identities/nobody'), secretValue: 'x' } });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      error: 'CreateSecret',
      message: "Folder with path '/MooseQuest/identities/nobody' in environment with slug 'prod' not found",
    });
  });

  it('uses the documented 404 shapes and 400s for missing project or environment', async () => {
    const token = await vault.client.adminToken();
    const missing = await vault.client.call('GET', raw('NOPE'), { token, query: at('/MooseQuest/app') });
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'NotFound', message: "Secret with name 'NOPE' not found" });
    const folder = await vault.client.call('GET', raw('NOPE'), { token, query: at('/Nowhere') });
    expect(folder.body).toMatchObject({ error: 'GetSecretByName' });
    const patch = await vault.client.call('PATCH', raw('NOPE'), { token, body: { ...at('/MooseQuest/app'), secretValue: 'x' } });
    expect(patch.body).toMatchObject({ statusCode: 404, message: 'Secret with name NOPE not found' });
    const noEnv = await vault.client.call('GET', raw('DEMO_API_KEY'), { token, query: { workspaceId: vault.model.seed.projectId } });
    expect(noEnv.body).toMatchObject({ statusCode: 400, message: 'Missing environment' });
    const noProject = await vault.client.call('GET', raw('DEMO_API_KEY'), { token, query: { environment: 'prod' } });
    expect(noProject.body).toMatchObject({ statusCode: 400, message: 'You must provide workspaceSlug or workspaceId' });
  });

  it('validates names and bodies with 422', async () => {
    const token = await vault.client.adminToken();
    const colon = await vault.client.call('POST', raw('A:B'), { token, body: { ...at('/'), secretValue: 'x' } });
    expect(colon.status).toBe(422);
    expect(colon.body.message[0].message).toBe('Secret name cannot contain colon or forward slash.');
    const noValue = await vault.client.call('POST', raw('A'), { token, body: at('/') });
    expect(noValue.status).toBe(422);
    expect(noValue.body.message[0].path).toEqual(['secretValue']);
  });

  it('renames with newSecretName (400 on collision)', async () => {
    const token = await vault.client.adminToken();
    const clash = await vault.client.call('PATCH', raw('DEMO_API_KEY'), {
      token,
      body: { ...at('/MooseQuest/app'), newSecretName: 'DATABASE_PASSWORD' },
    });
    expect(clash.body).toMatchObject({ statusCode: 400, message: 'Secret with the new name already exists' });
    const renamed = await vault.client.call('PATCH', raw('DEMO_API_KEY'), {
      token,
      body: { ...at('/MooseQuest/app'), newSecretName: 'DEMO_KEY' },
    });
    expect(renamed.body.secret).toMatchObject({ secretKey: 'DEMO_KEY', version: 2 });
  });
});

describe('secrets as @infisical/mcp asks for them', () => {
  it('tolerates the MCP query and returns the full secret object', async () => {
    const token = await vault.client.mcpToken();
    const { probe, projectId } = vault.model.seed;
    const r = await vault.client.call('GET', raw(probe.key), {
      token,
      query: {
        secretName: probe.key,
        workspaceId: projectId,
        environment: 'prod',
        expandSecretReferences: true,
        includeImports: true,
        secretPath: probe.path,
        viewSecretValue: true,
      },
    });
    expect(r.status).toBe(200);
    const expected = vault.model.getSecretValue({ environment: 'prod', secretPath: probe.path, secretKey: probe.key });
    expect(r.body.secret).toEqual({
      id: expect.any(String),
      _id: r.body.secret.id,
      workspace: projectId,
      environment: 'prod',
      version: 1,
      type: 'shared',
      secretKey: probe.key,
      secretValue: expected?.value,
      secretComment: '',
      secretReminderNote: null,
      secretReminderRepeatDays: null,
      skipMultilineEncoding: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      isRotatedSecret: false,
      rotationId: null,
      secretValueHidden: false,
      secretPath: probe.path,
      tags: [],
      secretMetadata: [],
    });
  });

  it('lists a folder ({secrets, imports}), recursively on request', async () => {
    const token = await vault.client.mcpToken();
    const q = { ...at('/MooseQuest/app'), expandSecretReferences: true, includeImports: true, recursive: false, viewSecretValue: true };
    const r = await vault.client.call('GET', '/api/v3/secrets/raw', { token, query: q });
    expect(r.body.imports).toEqual([]);
    expect(r.body.secrets.map((s: { secretKey: string }) => s.secretKey)).toEqual(['DATABASE_PASSWORD', 'DEMO_API_KEY']);
    const all = await vault.client.call('GET', '/api/v3/secrets/raw', {
      token,
      query: { ...q, secretPath: '/MooseQuest/', recursive: true },
    });
    expect(all.body.secrets.length).toBeGreaterThan(4);
    expect(all.body.secrets.every((s: { secretPath: string }) => s.secretPath.startsWith('/MooseQuest'))).toBe(true);
  });
});

describe('privilege enforcement for the scoped read-only identity', () => {
  it('reads in scope (200), 403 PermissionDenied out of scope — existing or not — and in other environments', async () => {
    const token = await vault.client.mcpToken();
    expect((await vault.client.call('GET', raw('DEMO_API_KEY'), { token, query: at('/MooseQuest/app') })).status).toBe(200);
    expect((await vault.client.call('GET', raw('MOOSEQUEST_SHARED_TOKEN'), { token, query: at('/MooseQuest/') })).status).toBe(200);
    for (const [name, query] of [
      ['OPS_PAGER_TOKEN', at(vault.model.seed.outOfScopePath)],
      ['ANYTHING', at('/Ops')],
      ['DEMO_API_KEY', at('/MooseQuest/app', 'dev')],
      ['DEMO_API_KEY', at('/MooseQuest/app', 'staging')],
      ['X', at('/')],
    ] as const) {
      const r = await vault.client.call('GET', raw(name), { token, query });
      expect(r.status, `${name} ${JSON.stringify(query)}`).toBe(403);
      expect(r.body).toMatchObject({
        statusCode: 403,
        error: 'PermissionDenied',
        message: 'You are not allowed to describeSecret on secrets',
        details: [
          {
            subject: 'secrets',
            action: ['read'],
            inverted: false,
            conditions: { environment: 'prod', secretPath: { $glob: '/MooseQuest/**' } },
          },
        ],
      });
      expect(r.text).not.toContain(
        vault.model.getSecretValue({ environment: 'prod', secretPath: '/Ops', secretKey: 'OPS_PAGER_TOKEN' })?.value,
      );
    }
  });

  it('refuses every write in scope with 403 and changes nothing', async () => {
    const token = await vault.client.mcpToken();
    const before = vault.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'DEMO_API_KEY' });
    const create = await vault.client.call('POST', raw('CANARY_DELETE_TEST'), {
      token,
      body: { ...at('/MooseQuest/app'), secretValue: 'x' },
    });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ error: 'PermissionDenied', message: 'You are not allowed to create on secrets' });
    const update = await vault.client.call('PATCH', raw('DEMO_API_KEY'), { token, body: { ...at('/MooseQuest/app'), secretValue: 'x' } });
    expect(update.status).toBe(403);
    const del = await vault.client.call('DELETE', raw('DEMO_API_KEY'), { token, body: at('/MooseQuest/app') });
    expect(del.status).toBe(403);
    expect(vault.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'DEMO_API_KEY' })).toEqual(before);
    expect(
      vault.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'CANARY_DELETE_TEST' }),
    ).toBeUndefined();
  });

  it('filters a listing outside the scope to nothing (200, never 403) and a recursive one from / to its scope', async () => {
    const token = await vault.client.mcpToken();
    const outside = await vault.client.call('GET', '/api/v3/secrets/raw', { token, query: at('/Ops') });
    expect(outside.status).toBe(200);
    expect(outside.body).toEqual({ secrets: [], imports: [] });
    const all = await vault.client.call('GET', '/api/v3/secrets/raw', { token, query: { ...at('/'), recursive: true } });
    expect(all.status).toBe(200);
    const paths = new Set(all.body.secrets.map((s: { secretPath: string }) => s.secretPath));
    expect([...paths].every((p) => String(p).startsWith('/MooseQuest'))).toBe(true);
    expect(paths.has('/MooseQuest/app')).toBe(true);
    expect(all.text).not.toContain(
      vault.model.getSecretValue({ environment: 'prod', secretPath: '/Ops', secretKey: 'OPS_PAGER_TOKEN' })?.value,
    );
  });

  it('hides values when viewSecretValue=false', async () => {
    const token = await vault.client.mcpToken();
    const r = await vault.client.call('GET', raw('DEMO_API_KEY'), { token, query: { ...at('/MooseQuest/app'), viewSecretValue: false } });
    expect(r.body.secret).toMatchObject({ secretValue: HIDDEN_SECRET_VALUE, secretValueHidden: true });
  });
});
