import { expect, it } from 'vitest';
import { planOnboarding } from '../../src/provision/onboard.js';
import { verifyIdentity } from '../../src/provision/verify-identity.js';
import { failure } from '../support/failure.js';
import { AGENT, IDENTITY, onboardOptions, useOnboardVault } from './onboard-fixture.js';
import { describeEachServer } from './server-matrix.js';

const { vault, env, onboard, expectOnboarded } = useOnboardVault();

/** An identity with universal auth but no project membership (a run interrupted after Step 4). */
async function halfOnboarded(): Promise<string> {
  const admin = vault.client();
  await admin.authenticate(vault.admin());
  const identity = await admin.createIdentity({ name: IDENTITY, organizationId: vault.model.seed.organizationId });
  await admin.attachUniversalAuth(identity.id, { accessTokenTTL: 3600, accessTokenMaxTTL: 7200 });
  return identity.id;
}

describeEachServer(vault, 'answers that differ between server versions', (server) => {
  it('a new identity onboards; the "absent" answers it meets are read as absent, whatever their status', async () => {
    await onboard();
    expectOnboarded();
    const absent = vault.exchanges.filter(
      (e) =>
        e.method === 'GET' &&
        (/\/universal-auth\/identities\/[^/]+$/.test(e.path) || /\/identity-memberships\/[^/]+$/.test(e.path)) &&
        e.status >= 400,
    );
    // Steps 4 and 8 each looked before creating: 404 from a current server, 400 from an older one.
    expect(absent.map((e) => e.status)).toEqual(server === 'legacy' ? [400, 400] : [404, 404]);
  });

  it('plan of a half-onboarded identity (no project membership) reports what it would do, Step 9 included', async () => {
    await halfOnboarded();
    const plan = await planOnboarding(onboardOptions(), env());
    const status = Object.fromEntries(plan.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({
      identity: 'already-done',
      'universal-auth': 'already-done',
      membership: 'would-do',
      privilege: 'would-do',
    });
    // The privilege lookup for a non-member is a 400 on every build; it reads as "no privilege".
    expect(vault.exchanges.some((e) => e.path.includes('/identity-project-additional-privilege/slug/') && e.status === 400)).toBe(true);
  });

  it('verify of an identity that is no project member says so instead of showing a raw 400', async () => {
    await halfOnboarded();
    const error = await failure(verifyIdentity({ identityName: IDENTITY, agentName: AGENT }, env()));
    expect(error.code).toBe('PROVISION_STEP_FAILED');
    expect(error.message).toMatch(/has no privilege test-agent-read in project raxx-secrets \(or is no member of it\)\. Onboard it/);
    expect(error.message).not.toMatch(/→ 400/);
  });

  it('the interrupted run completes on the rerun', async () => {
    await halfOnboarded();
    await onboard();
    expectOnboarded();
  });
});
