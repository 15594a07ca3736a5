import type { FaultRule } from '@raxx/vault-testkit';
import { expect, it } from 'vitest';
import type { StepId } from '../../src/provision/step-report.js';
import { failure } from '../support/failure.js';
import { SECRET_KEY, useOnboardVault } from './onboard-fixture.js';
import { describeEachServer } from './server-matrix.js';

const { vault, onboard, storedClientSecret, expectOnboarded, credentialsLogIn } = useOnboardVault();

/** Infisical's 400 body, as a fault answer. */
const badRequest = (message: string) => ({ reqId: 'req-fault', statusCode: 400, message, error: 'BadRequest' });

interface RaceCase {
  readonly step: StepId;
  readonly what: string;
  /** Makes the step's lookup miss what is there, so its create meets Infisical's "already there". */
  readonly missed: FaultRule;
}

const races: RaceCase[] = [
  {
    step: 'universal-auth',
    what: 'universal auth',
    missed: { method: 'GET', path: '/api/v1/auth/universal-auth/identities/*', status: 404, times: 1 },
  },
  {
    step: 'membership',
    what: 'project membership',
    missed: { method: 'GET', path: '/api/v2/workspace/*/identity-memberships/*', status: 404, times: 1 },
  },
  {
    step: 'privilege',
    what: 'privilege',
    missed: { method: 'GET', path: '/api/v2/identity-project-additional-privilege/slug/*', status: 404, times: 1 },
  },
];

describeEachServer(vault, 'onboarding: a create that finds the thing already there reads it back instead of failing', () => {
  it.each(races)('$what created meanwhile: $step re-reads it and reports it in place', async (c) => {
    await onboard();
    vault.faults.add(c.missed);
    const result = await onboard();
    expect(vault.faults.rules).toEqual([]); // the lookup did miss once
    expect(result.steps.find((s) => s.id === c.step)?.status).toBe('already-done');
    expectOnboarded();
  });

  it('folders created meanwhile: the step goes on down the path', async () => {
    await onboard();
    vault.faults.add({ method: 'GET', path: '/api/v1/folders', status: 200, body: { folders: [] }, times: 1 });
    const result = await onboard();
    expect(result.steps.find((s) => s.id === 'creds-folder')?.status).toBe('done');
    expectOnboarded();
  });

  it('a client secret stored meanwhile gets a new version holding the proven secret', async () => {
    await onboard();
    const before = storedClientSecret();
    vault.faults.add({ method: 'GET', path: `/api/v3/secrets/raw/${SECRET_KEY}`, status: 404, times: 1 });
    const result = await onboard();
    expect(result.steps.find((s) => s.id === 'client-secret')?.detail).toMatch(/no client secret is stored: issued/);
    expect(storedClientSecret()?.version).toBe((before?.version ?? 0) + 1);
    expectOnboarded(); // the secret it replaced was revoked: one active, the stored one
    expect(await credentialsLogIn()).toBe(true);
  });

  const vanished: Array<{ step: StepId; what: string; rule: FaultRule }> = [
    {
      step: 'universal-auth',
      what: 'universal auth',
      rule: {
        method: 'POST',
        path: '/api/v1/auth/universal-auth/identities/*',
        status: 400,
        times: 1,
        body: badRequest('Failed to add universal auth to already configured identity'),
      },
    },
    {
      step: 'membership',
      what: 'project membership',
      rule: {
        method: 'POST',
        path: '/api/v2/workspace/*/identity-memberships/*',
        status: 400,
        times: 1,
        body: badRequest('Identity is already a member'),
      },
    },
    {
      step: 'privilege',
      what: 'privilege',
      rule: {
        method: 'POST',
        path: '/api/v2/identity-project-additional-privilege',
        status: 400,
        times: 1,
        body: badRequest('Additional privilege with name test-agent-read exists'),
      },
    },
  ];

  it.each(vanished)('$what said to exist but not readable: $step fails without guessing; the rerun converges', async (c) => {
    vault.faults.add(c.rule);
    const error = await failure(onboard());
    expect(error.code).toBe('PROVISION_STEP_FAILED');
    expect(error.details.step).toBe(c.step);
    expect(error.message).toMatch(/as already (attached|there), yet none can be read/);
    await onboard();
    expectOnboarded();
  });
});
