import { describe, expect, it } from 'vitest';
import { VaultProxyError } from '../../src/errors.js';
import { ProvisionRun } from '../../src/provision/provision-run.js';
import { ONBOARD_STEPS, ROTATE_STEPS, type StepReport, VERIFY_STEPS } from '../../src/provision/step-report.js';
import { failure } from '../support/failure.js';

const done =
  (detail = 'ok') =>
  async () => ({ status: 'done' as const, detail });

describe('ProvisionRun: reports come in run order, labelled with their runbook step', () => {
  it('numbers reports 1, 2, 3… as they run, whatever the runbook numbering, and tells the listener in that order', async () => {
    const heard: StepReport[] = [];
    const run = new ProvisionRun('apply', ONBOARD_STEPS, (r) => heard.push(r));
    for (const id of [
      'admin-login',
      'project',
      'identity',
      'universal-auth',
      'creds-folder',
      'store-client-id',
      'client-secret',
    ] as const) {
      await run.step(id, done());
    }
    expect(heard).toEqual(run.reports);
    expect(run.reports.map((r) => [r.index, r.id, r.runbookStep])).toEqual([
      [1, 'admin-login', 'Step 1'],
      [2, 'project', 'Step 2'],
      [3, 'identity', 'Step 3'],
      [4, 'universal-auth', 'Step 4'],
      [5, 'creds-folder', 'Step 6'],
      [6, 'store-client-id', 'Step 7'],
      [7, 'client-secret', 'Step 5'],
    ]);
  });

  it('a failure is reported at its place in the run, the rest follow as skipped, and the error names both numbers', async () => {
    const heard: StepReport[] = [];
    const run = new ProvisionRun('apply', ONBOARD_STEPS, (r) => heard.push(r));
    await run.step('admin-login', done());
    await run.step('project', done());
    await run.step('identity', done());
    await run.step('universal-auth', done());
    await run.step('creds-folder', done());
    await run.step('store-client-id', done());
    const error = await failure(
      run.step('client-secret', async () => {
        throw new VaultProxyError('PROVISION_STEP_FAILED', 'Storing failed.');
      }),
    );
    expect(heard.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(heard[6]).toMatchObject({ index: 7, id: 'client-secret', runbookStep: 'Step 5', status: 'failed', detail: 'Storing failed.' });
    expect(heard.slice(7).map((r) => [r.id, r.status, r.detail])).toEqual(
      ['membership', 'privilege', 'verify', 'manifest'].map((id) => [id, 'skipped', 'not run: step 7 failed']),
    );
    expect(error.message).toMatch(
      /^Step 7 \(Issue, store and prove the client secret, runbook Step 5\) failed: Storing failed\. Fix the cause/,
    );
    expect(error.details).toMatchObject({ step: 'client-secret', stepIndex: 7, runbookStep: 'Step 5' });
  });

  it('a step the runbook has no number for carries no label, in its report or its error', async () => {
    const run = new ProvisionRun('apply', ROTATE_STEPS);
    for (const id of ['admin-login', 'project', 'identity', 'universal-auth', 'rotate-secret'] as const) await run.step(id, done());
    const error = await failure(
      run.step('revoke-old', async () => {
        throw new VaultProxyError('PROVISION_STEP_FAILED', 'revoke failed');
      }),
    );
    const revoke = run.reports.find((r) => r.id === 'revoke-old');
    expect(revoke).toMatchObject({ index: 6, status: 'failed' });
    expect(revoke && 'runbookStep' in revoke).toBe(false);
    expect(error.message).toMatch(/^Step 6 \(Revoke the previous client secret\(s\)\) failed/);
    expect(error.details.runbookStep).toBeUndefined();
    expect(run.reports.at(-1)).toMatchObject({ index: 7, id: 'manifest', runbookStep: 'Step 12', status: 'skipped' });
  });

  it('the step tables keep the runbook labels meaningful', () => {
    const labels = (steps: readonly { id: string; runbookStep?: string }[]) => steps.map((s) => `${s.id}:${s.runbookStep ?? '-'}`);
    expect(labels(VERIFY_STEPS)).toEqual([
      'admin-login:Step 1',
      'project:Step 2',
      'identity:Step 3',
      'universal-auth:Step 4',
      'verify:Step 10',
    ]);
    expect(labels(ROTATE_STEPS)).toEqual([
      'admin-login:Step 1',
      'project:Step 2',
      'identity:Step 3',
      'universal-auth:Step 4',
      'rotate-secret:Step 5',
      'revoke-old:-',
      'manifest:Step 12',
    ]);
    expect(new Set(ONBOARD_STEPS.map((s) => s.id)).size).toBe(ONBOARD_STEPS.length);
  });
});
