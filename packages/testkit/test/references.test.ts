import { describe, expect, it } from 'vitest';
import { useMswVault } from './support/vault-client.js';

// expandSecretReferences, as backend/src/services/secret-v2-bridge/secret-reference-fns.ts expands them, seen by the
// seeded MCP identity (read on prod /MooseQuest/**).
const vault = useMswVault();
const at = (secretPath: string) => ({ workspaceId: vault.model.seed.projectId, environment: 'prod', secretPath });
const value = (secretPath: string, secretKey: string) =>
  vault.model.getSecretValue({ environment: 'prod', secretPath, secretKey })?.value as string;

function plant(secretPath: string, secretKey: string, v: string) {
  vault.model.putSecret({ environment: 'prod', secretPath, secretKey, value: v });
}

describe(`\${…} references`, () => {
  it('are returned literally unless expandSecretReferences=true, and expanded in scope (same folder, other folder, nested)', async () => {
    const token = await vault.client.mcpToken();
    plant('/MooseQuest/app', 'LOCAL_REF', `db=\${DATABASE_PASSWORD}`);
    plant('/MooseQuest/refs', 'NESTED', `via \${prod.MooseQuest.app.LOCAL_REF} and \${prod.MooseQuest.MOOSEQUEST_SHARED_TOKEN}`);
    plant('/MooseQuest/refs', 'DANGLING', `x-\${prod.MooseQuest.app.NOT_THERE}`);
    const get = (path: string, key: string, expand: boolean) =>
      vault.client.call('GET', `/api/v3/secrets/raw/${key}`, { token, query: { ...at(path), expandSecretReferences: expand } });
    expect((await get('/MooseQuest/app', 'LOCAL_REF', false)).body.secret.secretValue).toBe(`db=\${DATABASE_PASSWORD}`);
    expect((await get('/MooseQuest/app', 'LOCAL_REF', true)).body.secret.secretValue).toBe(
      `db=${value('/MooseQuest/app', 'DATABASE_PASSWORD')}`,
    );
    expect((await get('/MooseQuest/refs', 'NESTED', true)).body.secret.secretValue).toBe(
      `via db=${value('/MooseQuest/app', 'DATABASE_PASSWORD')} and ${value('/MooseQuest', 'MOOSEQUEST_SHARED_TOKEN')}`,
    );
    // A reference to a secret that does not exist (but may be read) stays as text.
    expect((await get('/MooseQuest/refs', 'DANGLING', true)).body.secret.secretValue).toBe(`x-\${prod.MooseQuest.app.NOT_THERE}`);
  });

  it('turn an in-scope read into 403 when they point outside the scope, existing or not, without leaking a value', async () => {
    const token = await vault.client.mcpToken();
    plant('/MooseQuest/app', 'PAGER', `pager=\${prod.Ops.OPS_PAGER_TOKEN}`);
    const r = await vault.client.call('GET', '/api/v3/secrets/raw/PAGER', {
      token,
      query: { ...at('/MooseQuest/app'), expandSecretReferences: true },
    });
    expect(r.body).toMatchObject({
      statusCode: 403,
      error: 'ForbiddenError',
      message:
        "You do not have permission to read secret 'OPS_PAGER_TOKEN' in environment 'prod' at path '/Ops', which is referenced by secret 'PAGER' in environment 'prod' at path '/MooseQuest/app'.",
    });
    expect(r.text).not.toContain(value('/Ops', 'OPS_PAGER_TOKEN'));
    plant('/MooseQuest/app', 'GHOST', `\${dev.Ops.NOT_THERE}`);
    const ghost = await vault.client.call('GET', '/api/v3/secrets/raw/GHOST', {
      token,
      query: { ...at('/MooseQuest/app'), expandSecretReferences: true },
    });
    expect(ghost.status).toBe(403);
    // Without expansion the same read is fine: the reference is just text.
    expect((await vault.client.call('GET', '/api/v3/secrets/raw/PAGER', { token, query: at('/MooseQuest/app') })).status).toBe(200);
  });

  it('make a whole expanded listing a 403 "Failed to expand one or more secret references"', async () => {
    const token = await vault.client.mcpToken();
    plant('/MooseQuest/app', 'PAGER', `pager=\${prod.Ops.OPS_PAGER_TOKEN}`);
    const list = (expand: boolean) =>
      vault.client.call('GET', '/api/v3/secrets/raw', { token, query: { ...at('/MooseQuest/app'), expandSecretReferences: expand } });
    const refused = await list(true);
    expect(refused.body).toMatchObject({
      statusCode: 403,
      error: 'ForbiddenError',
      message: 'Failed to expand one or more secret references',
      details: [expect.stringContaining("read secret 'OPS_PAGER_TOKEN'")],
    });
    expect(refused.text).not.toContain(value('/Ops', 'OPS_PAGER_TOKEN'));
    expect((await list(false)).body.secrets.map((s: { secretKey: string }) => s.secretKey)).toContain('PAGER');
  });

  it('may form a loop without hanging: a circular reference stops at the first repeat', async () => {
    const token = await vault.client.mcpToken();
    plant('/MooseQuest/app', 'A', `a\${B}`);
    plant('/MooseQuest/app', 'B', `b\${A}`);
    const r = await vault.client.call('GET', '/api/v3/secrets/raw/A', {
      token,
      query: { ...at('/MooseQuest/app'), expandSecretReferences: true },
    });
    expect(r.status).toBe(200);
    expect(r.body.secret.secretValue).toMatch(/^ab/);
  });
});
