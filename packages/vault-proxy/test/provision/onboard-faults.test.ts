import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultRule } from '@raxx/vault-testkit';
import { expect, it } from 'vitest';
import type { VaultProxyError } from '../../src/errors.js';
import type { StepId, StepReport } from '../../src/provision/step-report.js';
import { failure } from '../support/failure.js';
import { IDENTITY, SECRET_KEY, useOnboardVault } from './onboard-fixture.js';
import { describeEachServer } from './server-matrix.js';

const { vault, onboard, storedClientSecret, expectOnboarded, credentialsLogIn } = useOnboardVault();

const LOGIN = '/api/v1/auth/universal-auth/login';
const RETRIES = 1;
/** Enough failures to outlast the retries of an idempotent call. */
const EXHAUST = RETRIES + 1;

interface FaultCase {
  /** The step expected to fail. */
  readonly step: StepId;
  /** What breaks. */
  readonly what: string;
  readonly rule: FaultRule;
  /** Arm the fault once this step has been reported (default: before the run). */
  readonly after?: StepId;
}

const cases: FaultCase[] = [
  { step: 'admin-login', what: 'admin login', rule: { method: 'POST', path: LOGIN, status: 503, times: EXHAUST } },
  { step: 'project', what: 'project read', rule: { method: 'GET', path: '/api/v1/workspace/*', status: 500, times: EXHAUST } },
  {
    step: 'identity',
    what: 'identity lookup',
    rule: { method: 'GET', path: '/api/v2/organizations/*/identity-memberships', status: 502, times: EXHAUST },
  },
  { step: 'identity', what: 'identity create', rule: { method: 'POST', path: '/api/v1/identities', status: 500, times: EXHAUST } },
  {
    step: 'universal-auth',
    what: 'universal-auth attach',
    rule: { method: 'POST', path: '/api/v1/auth/universal-auth/identities/*', status: 500, times: EXHAUST },
  },
  { step: 'creds-folder', what: 'folder create', rule: { method: 'POST', path: '/api/v1/folders', status: 500, times: EXHAUST } },
  {
    step: 'store-client-id',
    what: 'client id store',
    rule: { method: 'POST', path: '/api/v3/secrets/raw/TEST_AGENT_CLIENT_ID', status: 500, times: EXHAUST },
  },
  {
    step: 'client-secret',
    what: 'client secret issue',
    rule: { method: 'POST', path: '/api/v1/auth/universal-auth/identities/*/client-secrets', status: 500, times: 1 },
  },
  {
    step: 'client-secret',
    what: 'client secret store',
    rule: { method: 'POST', path: `/api/v3/secrets/raw/${SECRET_KEY}`, status: 500, times: EXHAUST },
  },
  // Armed after the client id is stored, so the next login is the proof with the new secret.
  { step: 'client-secret', what: 'prove login', rule: { method: 'POST', path: LOGIN, status: 401, times: 1 }, after: 'store-client-id' },
  {
    step: 'membership',
    what: 'membership create',
    rule: { method: 'POST', path: '/api/v2/workspace/*/identity-memberships/*', status: 500, times: EXHAUST },
  },
  {
    step: 'privilege',
    what: 'privilege create',
    rule: { method: 'POST', path: '/api/v2/identity-project-additional-privilege', status: 500, times: EXHAUST },
  },
];

function armAfter(c: FaultCase) {
  return (report: StepReport) => {
    if (report.id === c.after && report.status !== 'failed') vault.faults.add(c.rule);
  };
}

async function firstRunFails(c: FaultCase): Promise<VaultProxyError> {
  if (!c.after) vault.faults.add(c.rule);
  const steps: StepReport[] = [];
  const arm = armAfter(c);
  const onStep = (r: StepReport) => {
    steps.push(r);
    if (c.after) arm(r);
  };
  const error = await failure(onboard({ retries: RETRIES, onStep }), `${c.what} should fail the run`);
  expect(error.details.step).toBe(c.step);
  const failed = steps.findIndex((s) => s.status === 'failed');
  expect(steps[failed]?.id).toBe(c.step);
  // The error names the step by its place in what was printed.
  expect(error.details.stepIndex).toBe(failed + 1);
  expect(steps.map((s) => s.index)).toEqual(steps.map((_, i) => i + 1));
  expect(steps.slice(failed + 1).every((s) => s.status === 'skipped')).toBe(true);
  return error;
}

/** No client secret of the identity is active unless it is the stored one. */
function expectNoOrphan() {
  for (const identity of vault.model.findIdentitiesByName(IDENTITY)) {
    const active = vault.model.listClientSecrets(identity.id);
    const stored = storedClientSecret();
    for (const secret of active) expect(secret.prefix).toBe(stored?.value.slice(0, 4));
  }
}

/** One transient failure of each change onboarding makes: retried (creates are refused as "already there" when repeated). */
const transient: FaultCase[] = cases
  .filter((c) => c.rule.method === 'POST' && c.rule.path !== LOGIN && !c.rule.path.endsWith('/client-secrets'))
  .map((c) => ({ ...c, rule: { ...c.rule, times: 1 } }));

describeEachServer(vault, 'onboarding: a fault at each step, then a rerun that converges', () => {
  it.each(cases)('$what fails step $step; the rerun converges with no orphan', async (c) => {
    const error = await firstRunFails(c);
    expect(['PROVISION_STEP_FAILED', 'INFISICAL_HTTP']).toContain(error.code);
    expectNoOrphan();
    vault.faults.clear();
    await onboard();
    expectOnboarded();
    expectNoOrphan();
    expect(await credentialsLogIn()).toBe(true);
  });

  it.each(transient)('one transient 5xx of $what is retried: the run completes with no duplicate and no orphan', async (c) => {
    vault.faults.add(c.rule);
    await onboard({ retries: RETRIES });
    expect(vault.faults.rules).toEqual([]); // the fault did fire
    expectOnboarded();
    expectNoOrphan();
    expect(await credentialsLogIn()).toBe(true);
  });

  it('one transient 5xx issuing the client secret fails the step (never repeated blindly) and leaves no orphan', async () => {
    const issue = cases.find((c) => c.what === 'client secret issue') as FaultCase;
    await firstRunFails(issue);
    const [identity] = vault.model.findIdentitiesByName(IDENTITY);
    expect(vault.model.listClientSecrets(identity?.id as string, { includeRevoked: true })).toEqual([]);
  });

  it('a failed store revokes the client secret it just issued and stores nothing', async () => {
    await firstRunFails(cases.find((c) => c.what === 'client secret store') as FaultCase);
    const [identity] = vault.model.findIdentitiesByName(IDENTITY);
    const all = vault.model.listClientSecrets(identity?.id as string, { includeRevoked: true });
    expect(all).toHaveLength(1);
    expect(all[0]?.revoked).toBe(true);
    expect(storedClientSecret()).toBeUndefined();
  });

  it('a failed proof revokes the new client secret, so the stored value logs in nowhere', async () => {
    const error = await firstRunFails(cases.find((c) => c.what === 'prove login') as FaultCase);
    expect(error.message).toMatch(/Proving a login .* was revoked/);
    const [identity] = vault.model.findIdentitiesByName(IDENTITY);
    expect(vault.model.listClientSecrets(identity?.id as string)).toEqual([]);
    expect(vault.model.listClientSecrets(identity?.id as string, { includeRevoked: true })).toHaveLength(1);
    expect(await credentialsLogIn()).toBe(false);
  });

  it('a manifest that cannot be written fails step 12; the rerun registers the identity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    const manifest = join(dir, 'rotation.json');
    mkdirSync(manifest); // a directory where the file should be
    const error = await failure(onboard({ manifest }));
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.details.step).toBe('manifest');
    rmdirSync(manifest);
    const result = await onboard({ manifest });
    expect(result.steps.at(-1)).toMatchObject({ id: 'manifest', status: 'done' });
    expect(statSync(manifest).mode & 0o777).toBe(0o600);
    const written = JSON.parse(readFileSync(manifest, 'utf8'));
    const { identityId } = expectOnboarded();
    expect(written.identities).toEqual([expect.objectContaining({ identityName: IDENTITY, identityId, rotationIntervalDays: 30 })]);
    expect(written.identities[0].currentClientSecretId).toBe(vault.model.listClientSecrets(identityId)[0]?.id);
  });
});
