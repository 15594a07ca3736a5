import { describe, expect, it } from 'vitest';
import { VaultProxyError } from '../../src/errors.js';
import {
  absentOn,
  alreadyPresentOn,
  answerOf,
  credentialsRefusedOn,
  orAbsent,
  policyViolationOn,
  routeMissingOn,
  transientOn,
  unlessPresent,
} from '../../src/infisical/vault-answers.js';
import { failure } from '../support/failure.js';

/** An `INFISICAL_HTTP` error as the client throws it. */
function refusal(status: number, message = '', extra: Record<string, unknown> = {}): VaultProxyError {
  return new VaultProxyError('INFISICAL_HTTP', `GET /x → ${status}`, { details: { status, method: 'GET', path: '/x', message, ...extra } });
}

const network = new VaultProxyError('INFISICAL_NETWORK', 'GET /x failed before an answer', { details: { code: 'ECONNRESET' } });
const gate = (status: number) => refusal(status, '', { failureMode: 'B' });

describe('vault answers: the one place a refusal status is read', () => {
  it('absent is a 404 from Infisical, and nothing else unless the endpoint names a variant', () => {
    expect(absentOn(refusal(404, 'Secret with name X not found'))).toBe(true);
    expect(absentOn(refusal(400, 'Failed to find universal auth for identity'))).toBe(false);
    expect(absentOn(refusal(403))).toBe(false);
    expect(absentOn(refusal(500))).toBe(false);
    expect(absentOn(network)).toBe(false);
    expect(absentOn(new Error('404'))).toBe(false);
    expect(absentOn(undefined)).toBe(false);
    // A gateway's answer says nothing about what the vault holds.
    expect(absentOn(gate(404))).toBe(false);
  });

  it("an older server's 400 counts as absent only when its status and message match a variant", () => {
    const variant = { status: 400, message: /^Failed to find universal auth/ };
    expect(absentOn(refusal(400, 'Failed to find universal auth for identity'), variant)).toBe(true);
    expect(absentOn(refusal(400, 'Access token TTL cannot be greater than max TTL'), variant)).toBe(false);
    expect(absentOn(refusal(422, 'Failed to find universal auth'), variant)).toBe(false);
    expect(absentOn(refusal(404), variant)).toBe(true);
  });

  it('already present is a 400 whose message says so; credentials refused is a 401 from Infisical', () => {
    expect(alreadyPresentOn(refusal(400, 'Identity is already a member'), /already a member/i)).toBe(true);
    expect(alreadyPresentOn(refusal(400, 'Identity is missing organization membership'), /already a member/i)).toBe(false);
    expect(alreadyPresentOn(refusal(409, 'already a member'), /already a member/i)).toBe(false);
    expect(alreadyPresentOn(gate(400), /.*/)).toBe(false);
    expect(credentialsRefusedOn(refusal(401, 'Invalid credentials'))).toBe(true);
    expect(credentialsRefusedOn(refusal(403))).toBe(false);
    expect(credentialsRefusedOn(gate(401))).toBe(false);
    expect(credentialsRefusedOn(network)).toBe(false);
  });

  it("a route the server does not have (Fastify's 404) is never absent", () => {
    const route = refusal(404, 'Route GET:/api/v2/identity-project-additional-privilege/slug/x not found', { error: 'Not Found' });
    expect(routeMissingOn(route)).toBe(true);
    expect(absentOn(route)).toBe(false);
    expect(routeMissingOn(refusal(404, 'Secret with name X not found', { error: 'NotFound' }))).toBe(false);
    expect(routeMissingOn(gate(404))).toBe(false);
  });

  it('a secret-detection refusal is named whichever way the server words it; transient failures are told apart', () => {
    expect(policyViolationOn(refusal(400, 'Secret value detected in K.', { error: 'SecretPolicyViolation' }))).toBe(
      'SecretPolicyViolation',
    );
    expect(policyViolationOn(refusal(403, 'detected', { error: 'PolicyViolationError' }))).toBe('PolicyViolationError');
    expect(policyViolationOn(refusal(400, 'Secret already exists', { error: 'BadRequest' }))).toBeUndefined();
    expect(policyViolationOn(gate(403))).toBeUndefined();
    expect(transientOn(refusal(503))).toBe(true);
    expect(transientOn(refusal(429))).toBe(true);
    expect(transientOn(network)).toBe(true);
    expect(transientOn(refusal(400))).toBe(false);
    expect(transientOn(gate(503))).toBe(false);
  });

  it('orAbsent / unlessPresent give the value, undefined for their one answer, and rethrow every other failure', async () => {
    expect(await orAbsent(Promise.resolve('x'), [])).toBe('x');
    expect(await orAbsent(Promise.reject(refusal(404)), [])).toBeUndefined();
    expect(await failure(orAbsent(Promise.reject(refusal(500)), []))).toMatchObject({ code: 'INFISICAL_HTTP' });
    expect(await failure(orAbsent(Promise.reject(network), []))).toBe(network);
    expect(await unlessPresent(Promise.resolve('x'), /exists/)).toBe('x');
    expect(await unlessPresent(Promise.reject(refusal(400, 'Secret already exists')), /exists/)).toBeUndefined();
    expect(await failure(unlessPresent(Promise.reject(refusal(404)), /exists/))).toMatchObject({ details: { status: 404 } });
  });

  it("answerOf reports the vault's status, and no status when the vault did not answer", async () => {
    expect(await answerOf(async () => 'ok')).toEqual({ status: 200, note: '' });
    expect(await answerOf(() => Promise.reject(refusal(403, 'no', { error: 'PermissionDenied' })))).toEqual({
      status: 403,
      note: 'PermissionDenied',
    });
    expect(await answerOf(() => Promise.reject(gate(403)))).toEqual({
      status: undefined,
      note: 'Cloudflare Access refused (failure mode B)',
    });
    expect(await answerOf(() => Promise.reject(network))).toEqual({
      status: undefined,
      note: 'INFISICAL_NETWORK',
      networkCode: 'ECONNRESET',
    });
    await expect(answerOf(() => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
  });
});
