import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FaultRule, MCP_IDENTITY_NAME } from '@raxx/vault-testkit';
import { expect, it } from 'vitest';
import { readRotationManifest, writeRotationManifest } from '../../src/identity/rotation-manifest.js';
import { rotateClientSecret, rotateDue } from '../../src/provision/rotate.js';
import type { StepId, StepReport } from '../../src/provision/step-report.js';
import { failure } from '../support/failure.js';
import { AGENT, CREDS_PATH, IDENTITY, SECRET_KEY, useOnboardVault } from './onboard-fixture.js';
import { describeEachServer } from './server-matrix.js';

const { vault, env, onboard, storedClientSecret, expectOnboarded, credentialsLogIn } = useOnboardVault();
const rotateOptions = (extra = {}) => ({ identityName: IDENTITY, agentName: AGENT, retryDelayMs: 0, retries: 1, ...extra });

async function onboarded(manifest?: string) {
  await onboard(manifest ? { manifest } : {});
  return expectOnboarded();
}

describeEachServer(vault, 'rotateClientSecret', () => {
  it('issues, stores (new version), proves, then revokes the old secret; the manifest follows', async () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'rotate-')), 'rotation.json');
    const { identityId } = await onboarded(manifest);
    const [old] = vault.model.listClientSecrets(identityId);
    const before = storedClientSecret();
    const entryBefore = (await readRotationManifest(manifest)).identities[0];
    const result = await rotateClientSecret(rotateOptions({ manifest, now: () => new Date(Date.now() + 86_400_000) }), env());
    expect(result.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'admin-login:done',
      'project:done',
      'identity:already-done',
      'universal-auth:already-done',
      'rotate-secret:done',
      'revoke-old:done',
      'manifest:done',
    ]);
    expect(result.steps.map((s) => [s.index, s.runbookStep])).toEqual([
      [1, 'Step 1'],
      [2, 'Step 2'],
      [3, 'Step 3'],
      [4, 'Step 4'],
      [5, 'Step 5'],
      [6, undefined],
      [7, 'Step 12'],
    ]);
    expectOnboarded();
    expect(storedClientSecret()?.version).toBe((before?.version ?? 0) + 1);
    expect(vault.model.listClientSecrets(identityId).map((s) => s.id)).toEqual([result.clientSecretId]);
    expect(vault.model.listClientSecrets(identityId, { includeRevoked: true }).find((s) => s.id === old?.id)?.revoked).toBe(true);
    expect(await credentialsLogIn()).toBe(true);
    const entry = (await readRotationManifest(manifest)).identities[0];
    expect(entry?.currentClientSecretId).toBe(result.clientSecretId);
    expect(entry?.lastRotatedAt).not.toBe(entryBefore?.lastRotatedAt);
    expect(readFileSync(manifest, 'utf8')).not.toContain(storedClientSecret()?.value);
  });

  it("completes the runbook's pending operator action: a secret issued but never stored is replaced and revoked", async () => {
    const [mcp] = vault.model.findIdentitiesByName(MCP_IDENTITY_NAME);
    const admin = vault.client();
    await admin.authenticate(vault.admin());
    const mcpCreds = `/MooseQuest/identities/${MCP_IDENTITY_NAME}`;
    await admin.deleteSecret({
      workspaceId: vault.model.seed.projectId,
      environment: 'prod',
      secretPath: mcpCreds,
      secretKey: 'MCP_RO_CLIENT_SECRET',
    });
    const pending = vault.model.listClientSecrets(mcp?.id as string);
    expect(pending).toHaveLength(1);
    const result = await rotateClientSecret(
      { identityName: MCP_IDENTITY_NAME, agentName: 'mcp-ro', slug: 'mcp-main-loop-read', retryDelayMs: 0 },
      env(),
    );
    expect(vault.model.listClientSecrets(mcp?.id as string).map((s) => s.id)).toEqual([result.clientSecretId]);
    const stored = vault.model.getSecretValue({ environment: 'prod', secretPath: mcpCreds, secretKey: 'MCP_RO_CLIENT_SECRET' });
    expect(stored?.value.slice(0, 4)).toBe(vault.model.listClientSecrets(mcp?.id as string)[0]?.prefix);
  });

  const LOGIN = '/api/v1/auth/universal-auth/login';
  const interruptions: Array<{ what: string; step: StepId; rule: FaultRule; after?: StepId }> = [
    {
      what: 'issue',
      step: 'rotate-secret',
      rule: { method: 'POST', path: '/api/v1/auth/universal-auth/identities/*/client-secrets', status: 500, times: 1 },
    },
    // A store is retried once (rotateOptions: retries 1), so two failures make it fail.
    { what: 'store', step: 'rotate-secret', rule: { method: 'PATCH', path: `/api/v3/secrets/raw/${SECRET_KEY}`, status: 500, times: 2 } },
    { what: 'prove', step: 'rotate-secret', rule: { method: 'POST', path: LOGIN, status: 401, times: 1 }, after: 'universal-auth' },
    {
      what: 'revoke old',
      step: 'revoke-old',
      rule: { method: 'POST', path: '/api/v1/auth/universal-auth/identities/*/client-secrets/*/revoke', status: 503, times: 2 },
    },
  ];

  it.each(interruptions)('interrupted at $what: a working secret stays stored, and a rerun converges', async (c) => {
    const { identityId } = await onboarded();
    const [old] = vault.model.listClientSecrets(identityId);
    const valueBefore = storedClientSecret()?.value;
    if (!c.after) vault.faults.add(c.rule);
    const arm = (r: StepReport) => {
      if (r.id === c.after) vault.faults.add(c.rule);
    };
    const error = await failure(rotateClientSecret(rotateOptions({ onStep: arm }), env()));
    expect(error.details.step).toBe(c.step);
    expect(await credentialsLogIn()).toBe(true);
    const active = vault.model.listClientSecrets(identityId);
    expect(active.some((s) => s.id === old?.id)).toBe(true);
    if (c.step === 'rotate-secret') {
      expect(active.map((s) => s.id)).toEqual([old?.id]); // the new one was revoked
      expect(storedClientSecret()?.value).toBe(valueBefore); // and the old value is the latest version
    }
    vault.faults.clear();
    await rotateClientSecret(rotateOptions(), env());
    expectOnboarded();
    expect(vault.model.listClientSecrets(identityId).some((s) => s.id === old?.id)).toBe(false);
    expect(await credentialsLogIn()).toBe(true);
  });

  it('refuses to rotate an identity that does not exist', async () => {
    const error = await failure(rotateClientSecret(rotateOptions({ identityName: 'nobody-here' }), env()));
    expect(error.details.step).toBe('identity');
    expect(error.message).toMatch(/onboard/);
  });
});

describeEachServer(vault, 'rotateDue', () => {
  it('rotates only the entries that are due and records the new rotation', async () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'due-')), 'rotation.json');
    const { identityId } = await onboarded(manifest);
    const registered = await readRotationManifest(manifest);
    const entry = registered.identities[0];
    if (!entry) throw new Error('no entry');
    const [mcp] = vault.model.findIdentitiesByName(MCP_IDENTITY_NAME);
    const mcpSecret = vault.model.listClientSecrets(mcp?.id as string)[0];
    await writeRotationManifest(manifest, {
      version: 1,
      identities: [
        { ...entry, lastRotatedAt: new Date(Date.now() - 31 * 86_400_000).toISOString() },
        {
          identityName: MCP_IDENTITY_NAME,
          identityId: mcp?.id as string,
          clientId: vault.model.seed.mcp.clientId,
          projectId: vault.model.seed.projectId,
          environment: 'prod',
          credsPath: `/MooseQuest/identities/${MCP_IDENTITY_NAME}`,
          clientIdKey: 'MCP_RO_CLIENT_ID',
          clientSecretKey: 'MCP_RO_CLIENT_SECRET',
          rotationIntervalDays: 30,
          lastRotatedAt: new Date().toISOString(),
          currentClientSecretId: mcpSecret?.id as string,
        },
      ],
    });
    const heard: StepReport[] = [];
    const result = await rotateDue({ manifest, retryDelayMs: 0, onStep: (r) => heard.push(r) }, env());
    expect(result.ok).toBe(true);
    expect(result.entries.map((e) => [e.identityName, e.outcome])).toEqual([
      [IDENTITY, 'rotated'],
      [MCP_IDENTITY_NAME, 'not-due'],
    ]);
    expect(heard.every((r) => r.identity === IDENTITY)).toBe(true);
    expect(heard.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const after = await readRotationManifest(manifest);
    const rotated = vault.model.listClientSecrets(identityId)[0];
    expect(after.identities[0]?.currentClientSecretId).toBe(rotated?.id);
    expect(after.identities[0]?.currentClientSecretId).not.toBe(entry.currentClientSecretId);
    expect(after.identities[1]?.currentClientSecretId).toBe(mcpSecret?.id);
    expect(vault.model.listClientSecrets(mcp?.id as string).map((s) => s.id)).toEqual([mcpSecret?.id]);
    expect(storedClientSecret(SECRET_KEY, CREDS_PATH)?.value.slice(0, 4)).toBe(rotated?.prefix);
  });

  it.each([
    { field: 'identityId', step: 'identity', message: /manifest lists identity id/ },
    { field: 'clientId', step: 'universal-auth', message: /manifest lists client id/ },
  ] as const)('a manifest entry whose $field the vault does not have fails $step as a conflict and rotates nothing', async (c) => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'stale-')), 'rotation.json');
    const { identityId } = await onboarded(manifest);
    const entry = (await readRotationManifest(manifest)).identities[0];
    if (!entry) throw new Error('no entry');
    const stale = {
      ...entry,
      [c.field]: 'aaaaaaaa-0000-4000-8000-000000000000',
      lastRotatedAt: new Date(Date.now() - 31 * 86_400_000).toISOString(),
    };
    await writeRotationManifest(manifest, { version: 1, identities: [stale] });
    const secretsBefore = vault.model.listClientSecrets(identityId).map((s) => s.id);
    const result = await rotateDue({ manifest, retryDelayMs: 0 }, env());
    expect(result.ok).toBe(false);
    const [rotated] = result.entries;
    expect(rotated?.outcome).toBe('failed');
    expect(rotated?.error?.code).toBe('PROVISION_CONFLICT');
    expect(rotated?.error?.details.step).toBe(c.step);
    expect(rotated?.error?.message).toMatch(c.message);
    expect(rotated?.steps.filter((s) => s.status === 'skipped').map((s) => s.id)).toEqual(
      c.step === 'identity' ? ['universal-auth', 'rotate-secret', 'revoke-old', 'manifest'] : ['rotate-secret', 'revoke-old', 'manifest'],
    );
    expect(vault.model.listClientSecrets(identityId).map((s) => s.id)).toEqual(secretsBefore);
  });
});
