import { describe, expect, it } from 'vitest';
import { REALISTIC_PERMISSION_CACHE_MS } from '../src/index.js';
import { shannonEntropy } from '../src/model/secret-detection.js';
import { readUnder, scopedIdentity } from './support/scoped-identity.js';
import { useMswVault } from './support/vault-client.js';

const vault = useMswVault();
const raw = (name: string) => `/api/v3/secrets/raw/${name}`;
const at = (secretPath: string) => ({ workspaceId: vault.model.seed.projectId, environment: 'prod', secretPath });

describe('the enforceCapitalization project setting', () => {
  it('refuses a lower-case name on create and rename (400), before folder or permission checks, only when on', async () => {
    const token = await vault.client.adminToken();
    expect((await vault.client.call('POST', raw('lower_ok'), { token, body: { ...at('/MooseQuest/app'), secretValue: 'v' } })).status).toBe(
      200,
    );
    vault.model.configure({ enforceCapitalization: true });
    const project = await vault.client.call('GET', `/api/v1/workspace/${vault.model.seed.projectId}`, { token });
    expect(project.body.workspace).toMatchObject({ autoCapitalization: true, enforceCapitalization: true });
    const message = 'Secret name must be in UPPERCASE per project requirements. You can disable this requirement in project settings.';
    for (const path of ['/MooseQuest/app', '/No/Such/Folder']) {
      const r = await vault.client.call('POST', raw('lower_case'), { token, body: { ...at(path), secretValue: 'v' } });
      expect(r.body).toMatchObject({ statusCode: 400, error: 'BadRequest', message });
    }
    const rename = await vault.client.call('PATCH', raw('DEMO_API_KEY'), {
      token,
      body: { ...at('/MooseQuest/app'), newSecretName: 'demo' },
    });
    expect(rename.body).toMatchObject({ statusCode: 400, message });
    expect(
      (await vault.client.call('POST', raw('UPPER_CASE'), { token, body: { ...at('/MooseQuest/app'), secretValue: 'v' } })).status,
    ).toBe(200);
  });
});

describe('the opt-in secret-detection policy', () => {
  // A client secret's shape, 64 hex characters, built so each digit appears exactly four times:
  // entropy exactly 4 bits per character. (Random hex falls to the 3.7 threshold about once in
  // a hundred draws, which made this test flaky.)
  let draws = 0;
  const high = () => {
    const k = ++draws;
    return Array.from({ length: 64 }, (_, i) => '0123456789abcdef'[(i * 7 + k) % 16]).join('');
  };
  const policy = { paths: ['/MooseQuest/identities/**'] };

  it('measures entropy as gitleaks does', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('ab')).toBe(1);
    expect(shannonEntropy(high())).toBe(4);
  });

  it('refuses a high-entropy value in a configured path with 400 SecretPolicyViolation, on create and update', async () => {
    const token = await vault.client.adminToken();
    vault.model.configure({ secretDetection: policy });
    const where = at('/MooseQuest/identities');
    const refused = await vault.client.call('POST', raw('AGENT_CLIENT_SECRET'), { token, body: { ...where, secretValue: high() } });
    expect(refused.body).toMatchObject({
      statusCode: 400,
      error: 'SecretPolicyViolation',
      message: 'Secret value detected in AGENT_CLIENT_SECRET. Please add this instead to the designated secrets path in the project.',
    });
    expect(
      vault.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/identities', secretKey: 'AGENT_CLIENT_SECRET' }),
    ).toBeUndefined();
    const update = await vault.client.call('PATCH', raw('IDENTITIES_README'), { token, body: { ...where, secretValue: high() } });
    expect(update.body).toMatchObject({ statusCode: 400, error: 'SecretPolicyViolation' });
    // Low entropy, another path, or the policy off: stored.
    expect((await vault.client.call('POST', raw('PLAIN'), { token, body: { ...where, secretValue: 'aaaaaaaa' } })).status).toBe(200);
    expect(
      (await vault.client.call('POST', raw('ELSEWHERE'), { token, body: { ...at('/MooseQuest/app'), secretValue: high() } })).status,
    ).toBe(200);
    vault.model.configure({ secretDetection: undefined });
    expect((await vault.client.call('POST', raw('AGENT_CLIENT_SECRET'), { token, body: { ...where, secretValue: high() } })).status).toBe(
      200,
    );
  });

  it('is checked after the permission: a read-only caller still gets 403', async () => {
    vault.model.configure({ secretDetection: policy });
    const token = await vault.client.mcpToken();
    const r = await vault.client.call('POST', raw('X'), { token, body: { ...at('/MooseQuest/identities'), secretValue: high() } });
    expect(r.body).toMatchObject({ statusCode: 403, error: 'PermissionDenied' });
  });
});

describe('permission changes and the permission cache', () => {
  async function narrowed() {
    const { projectId, organizationId } = vault.model.seed;
    const agent = await scopedIdentity(vault.client, projectId, organizationId, 'cache-agent', [readUnder('/MooseQuest/**')]);
    const token = await agent.token();
    const read = () => vault.client.call('GET', raw('DEMO_API_KEY'), { token, query: at('/MooseQuest/app') });
    expect((await read()).status).toBe(200); // the first check computes (and caches) the rules
    const patch = await vault.client.call('PATCH', `/api/v2/identity-project-additional-privilege/${agent.privilegeId}`, {
      token: agent.admin,
      body: { slug: 'cache-agent-read', type: { isTemporary: false }, permissions: [readUnder('/Ops/**')] },
    });
    expect(patch.status).toBe(200);
    return read;
  }

  it('apply at once by default', async () => {
    const read = await narrowed();
    expect((await read()).status).toBe(403);
  });

  it('apply only after the cache window in realistic mode (about 10 s); a brand-new identity is unaffected', async () => {
    vault.model.configure({ permissionCacheMs: REALISTIC_PERMISSION_CACHE_MS });
    const read = await narrowed();
    expect((await read()).status).toBe(200); // still the old rules
    vault.model.advanceTime(REALISTIC_PERMISSION_CACHE_MS - 1_000);
    expect((await read()).status).toBe(200);
    vault.model.advanceTime(1_000);
    expect((await read()).status).toBe(403);
    const mcp = await vault.client.mcpToken();
    expect((await vault.client.call('GET', raw('DEMO_API_KEY'), { token: mcp, query: at('/MooseQuest/app') })).status).toBe(200);
  });
});
