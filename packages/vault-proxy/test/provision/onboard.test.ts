import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MCP_IDENTITY_NAME } from '@raxx/vault-testkit';
import { expect, it } from 'vitest';
import { onboardIdentity, planOnboarding } from '../../src/provision/onboard.js';
import type { StepReport } from '../../src/provision/step-report.js';
import { useMswVault } from '../infisical/msw-vault.js';
import { failure } from '../support/failure.js';
import {
  CREDS_PATH,
  envOf,
  expectOnboardedState,
  IDENTITY,
  onboardOptions,
  storedCredentialsLogIn,
  storedSecret,
} from './onboard-fixture.js';
import { describeEachServer } from './server-matrix.js';

const vault = useMswVault();

const statuses = (steps: readonly StepReport[]) => Object.fromEntries(steps.map((s) => [s.id, s.status]));

describeEachServer(vault, 'onboardIdentity against the model', () => {
  it('provisions exactly the runbook state and reports every step as it runs', async () => {
    const heard: StepReport[] = [];
    const result = await onboardIdentity(onboardOptions({ onStep: (r) => heard.push(r) }), envOf(vault.model));
    const { identityId } = expectOnboardedState(vault.model);
    expect(result.identityId).toBe(identityId);
    expect(heard).toEqual(result.steps);
    // Printed in run order (index 1…11); the runbook's numbering is a label, and Steps 6 and 7 run before 5.
    expect(result.steps.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(result.steps.map((s) => s.runbookStep)).toEqual([1, 2, 3, 4, 6, 7, 5, 8, 9, 10, 12].map((n) => `Step ${n}`));
    expect(result.steps.find((s) => s.id === 'client-secret')).toMatchObject({ index: 7, runbookStep: 'Step 5' });
    expect(statuses(result.steps)).toEqual({
      'admin-login': 'done',
      project: 'done',
      identity: 'done',
      'universal-auth': 'done',
      'creds-folder': 'done',
      'store-client-id': 'done',
      'client-secret': 'done',
      membership: 'done',
      privilege: 'done',
      verify: 'skipped',
      manifest: 'skipped',
    });
    const admin = vault.client();
    await admin.authenticate(vault.admin());
    expect(await admin.getUniversalAuth(identityId)).toMatchObject({ accessTokenTTL: 3600, accessTokenMaxTTL: 7200 });
    expect(await storedCredentialsLogIn(vault.model)).toBe(true);
  });

  it('a second run is all already-done and issues no new client secret', async () => {
    await onboardIdentity(onboardOptions(), envOf(vault.model));
    const { identityId } = expectOnboardedState(vault.model);
    const before = storedSecret(vault.model);
    const second = await onboardIdentity(onboardOptions(), envOf(vault.model));
    const changed = second.steps.filter(
      (s) => !['admin-login', 'project', 'verify', 'manifest'].includes(s.id) && s.status !== 'already-done',
    );
    expect(changed).toEqual([]);
    expect(vault.model.listClientSecrets(identityId, { includeRevoked: true })).toHaveLength(1);
    expect(storedSecret(vault.model)).toEqual(before);
  });

  it("finds the runbook's production identity fully in place (onboarding it again changes nothing)", async () => {
    const secrets = () =>
      vault.model.listClientSecrets(vault.model.seed.mcp.identityId, { includeRevoked: true }).map((c) => [c.id, c.revoked]);
    const before = secrets();
    const result = await onboardIdentity(
      {
        identityName: MCP_IDENTITY_NAME,
        agentName: 'mcp-ro',
        slug: 'mcp-main-loop-read',
        scope: '/MooseQuest/**',
        allowBroad: true,
        verify: false,
        retryDelayMs: 0,
      },
      envOf(vault.model),
    );
    expect(result.steps.filter((s) => s.status === 'done').map((s) => s.id)).toEqual(['admin-login', 'project']);
    expect(secrets()).toEqual(before);
  });

  it('plan changes nothing: only reads (and the admin login) go over the wire', async () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'plan-')), 'manifest.json');
    const result = await planOnboarding(onboardOptions({ verify: true, manifest }), envOf(vault.model));
    expect(existsSync(manifest)).toBe(false);
    expect(vault.model.findIdentitiesByName(IDENTITY)).toEqual([]);
    expect(vault.model.folderExists('prod', CREDS_PATH)).toBe(false);
    const writes = vault.exchanges.filter((e) => e.method !== 'GET' && !e.path.endsWith('/login'));
    expect(writes).toEqual([]);
    expect(statuses(result.steps)).toMatchObject({
      identity: 'would-do',
      'universal-auth': 'would-do',
      'creds-folder': 'would-do',
      'client-secret': 'would-do',
      privilege: 'would-do',
      verify: 'would-do',
      manifest: 'would-do',
    });
    expect(result.steps.find((s) => s.id === 'creds-folder')?.detail).toContain(CREDS_PATH);
  });

  it('plan after onboarding reports everything in place', async () => {
    await onboardIdentity(onboardOptions(), envOf(vault.model));
    const plan = await planOnboarding(onboardOptions({ verify: true }), envOf(vault.model));
    expect(plan.steps.filter((s) => s.status === 'would-do').map((s) => s.id)).toEqual(['verify']);
  });

  it('replaces a stored client secret that no longer logs in with a new version, revoking nothing that works', async () => {
    await onboardIdentity(onboardOptions(), envOf(vault.model));
    const { identityId } = expectOnboardedState(vault.model);
    const admin = vault.client();
    await admin.authenticate(vault.admin());
    const [old] = await admin.listClientSecrets(identityId);
    await admin.revokeClientSecret(identityId, old?.id as string);
    const before = storedSecret(vault.model);
    const result = await onboardIdentity(onboardOptions(), envOf(vault.model));
    expect(result.steps.find((s) => s.id === 'client-secret')?.detail).toMatch(/no longer logs in/);
    expectOnboardedState(vault.model);
    expect(storedSecret(vault.model)?.version).toBe((before?.version ?? 0) + 1);
    expect(await storedCredentialsLogIn(vault.model)).toBe(true);
  });

  it('revokes a client secret that was issued but never stored (an orphan) and keeps the stored one', async () => {
    await onboardIdentity(onboardOptions(), envOf(vault.model));
    const { identityId } = expectOnboardedState(vault.model);
    const admin = vault.client();
    await admin.authenticate(vault.admin());
    await admin.createClientSecret(identityId, { description: 'orphan' });
    expect(vault.model.listClientSecrets(identityId)).toHaveLength(2);
    const result = await onboardIdentity(onboardOptions(), envOf(vault.model));
    expect(result.steps.find((s) => s.id === 'client-secret')).toMatchObject({ status: 'done' });
    expectOnboardedState(vault.model);
    expect(vault.model.listClientSecrets(identityId)[0]?.description).not.toBe('orphan');
  });

  it('reports a privilege that differs as a conflict and does not replace it', async () => {
    await onboardIdentity(onboardOptions(), envOf(vault.model));
    const error = await failure(onboardIdentity(onboardOptions({ scope: '/MooseQuest/identities/**' }), envOf(vault.model)));
    expect(error.code).toBe('PROVISION_CONFLICT');
    expect(error.details.step).toBe('privilege');
    expect(error.message).toMatch(/differs/);
    expectOnboardedState(vault.model); // still the original scope
  });

  it('refuses to guess between two identities with the same name', async () => {
    const admin = vault.client();
    await admin.authenticate(vault.admin());
    for (let i = 0; i < 2; i++) await admin.createIdentity({ name: IDENTITY, organizationId: vault.model.seed.organizationId });
    const error = await failure(onboardIdentity(onboardOptions(), envOf(vault.model)));
    expect(error.code).toBe('PROVISION_CONFLICT');
    expect(error.details.step).toBe('identity');
    expect(vault.model.findIdentitiesByName(IDENTITY)).toHaveLength(2);
  });

  it('refuses an environment the project does not have, before creating anything', async () => {
    const error = await failure(onboardIdentity(onboardOptions({ environment: 'qa' }), envOf(vault.model)));
    expect(error.code).toBe('PROVISION_REFUSED');
    expect(error.details).toMatchObject({ step: 'project', field: 'environment' });
    expect(vault.model.findIdentitiesByName(IDENTITY)).toEqual([]);
  });

  it('reports universal auth with other TTLs as a conflict', async () => {
    await onboardIdentity(onboardOptions(), envOf(vault.model));
    const error = await failure(onboardIdentity(onboardOptions({ accessTokenTTL: 600 }), envOf(vault.model)));
    expect(error.code).toBe('PROVISION_CONFLICT');
    expect(error.details.step).toBe('universal-auth');
  });

  it('never leaves a secret value in the reports or the result', async () => {
    const result = await onboardIdentity(onboardOptions(), envOf(vault.model));
    const text = JSON.stringify(result);
    for (const secret of [storedSecret(vault.model)?.value, vault.model.seed.admin.clientSecret, vault.model.seed.cfAccessClientSecret]) {
      expect(secret).toBeDefined();
      expect(text).not.toContain(secret);
    }
  });
});
