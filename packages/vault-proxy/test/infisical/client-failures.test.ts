import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/connection/connection-options.js';
import type { VaultProxyError } from '../../src/errors.js';
import { createInfisicalClient } from '../../src/infisical/infisical-client.js';
import { SecretValue } from '../../src/secret-value.js';
import { failure } from '../support/failure.js';
import { useMswVault } from './msw-vault.js';

const vault = useMswVault();

/** Everything an error could show: message, details, JSON, and the full inspected cause chain. */
function everything(error: unknown): string {
  return [String(error), JSON.stringify(error), JSON.stringify((error as VaultProxyError).details), inspect(error, { depth: 10 })].join(
    '\n',
  );
}

describe('InfisicalClient: errors carry Infisical facts and never a secret', () => {
  it('maps a wrong login to 401 with error, message and reqId, and keeps no trace of the request', async () => {
    const wrong = `wrong-${'c'.repeat(40)}`;
    const error = await failure(vault.client().login({ clientId: vault.model.seed.admin.clientId, clientSecret: new SecretValue(wrong) }));
    expect(error.code).toBe('INFISICAL_HTTP');
    expect(error.details).toMatchObject({
      status: 401,
      error: 'UnauthorizedError',
      message: 'Invalid credentials',
      method: 'POST',
      path: '/api/v1/auth/universal-auth/login',
    });
    expect(error.details.reqId).toEqual(expect.any(String));
    expect(error.cause).toBeUndefined();
    const text = everything(error);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(vault.model.seed.cfAccessClientSecret);
  });

  it('a failed secret write names the path, not the value, the token or the Cloudflare secret', async () => {
    const client = vault.client();
    await client.authenticate(vault.admin());
    const canary = `canary-${'a'.repeat(40)}`;
    const error = await failure(
      client.createSecret({
        workspaceId: vault.model.seed.projectId,
        environment: 'prod',
        secretPath: '/MooseQuest/does-not-exist',
        secretKey: 'X',
        secretValue: new SecretValue(canary),
      }),
    );
    expect(error.details).toMatchObject({ status: 404, method: 'POST', path: '/api/v3/secrets/raw/X' });
    const text = everything(error);
    for (const secret of [canary, vault.model.seed.cfAccessClientSecret, vault.model.seed.admin.clientSecret])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT
  });

  it('recognises a Cloudflare Access refusal (wrong service token) as failure mode B', async () => {
    const error = await failure(vault.client({ cfAccessClientSecret: new SecretValue('f'.repeat(64)) }).status());
    expect(error.code).toBe('INFISICAL_HTTP');
    expect(error.message).toContain('Cloudflare Access refused — failure mode B');
    expect(error.details).toMatchObject({ status: 403, failureMode: 'B' });
    expect(everything(error)).not.toContain('f'.repeat(64));
  });

  it('recognises the Bot Fight Mode block of a default User-Agent as failure mode B', async () => {
    const error = await failure(vault.client({ userAgent: 'axios/1.12.0' }).status());
    expect(error.details).toMatchObject({ status: 403, failureMode: 'B' });
  });

  it('does not mistake an Infisical 403 relayed by Cloudflare for a Cloudflare refusal', async () => {
    const client = vault.client();
    await client.authenticate({
      clientId: vault.model.seed.mcp.clientId,
      clientSecret: new SecretValue(vault.model.seed.mcp.clientSecret),
    });
    const error = await failure(
      client.getSecret({ workspaceId: vault.model.seed.projectId, environment: 'prod', secretPath: '/Ops', secretKey: 'OPS_PAGER_TOKEN' }),
    );
    expect(error.details.status).toBe(403);
    expect(error.details.failureMode).toBeUndefined();
    expect(error.details.error).toBe('PermissionDenied');
  });

  it('maps a connection refused to INFISICAL_NETWORK with a sanitized cause', async () => {
    const client = createInfisicalClient({ proxyUrl: 'http://127.0.0.1:1', retries: 0 });
    const error = await failure(client.login(vault.admin()));
    expect(error.code).toBe('INFISICAL_NETWORK');
    expect(error.details).toMatchObject({ code: 'ECONNREFUSED', method: 'POST' });
    const cause = error.cause as Error & { config?: unknown; request?: unknown };
    expect(cause.config).toBeUndefined();
    expect(cause.request).toBeUndefined();
    expect(everything(error)).not.toContain(vault.model.seed.admin.clientSecret);
  });

  it('reports a 2xx answer without the fields it needs as INFISICAL_RESPONSE_INVALID', async () => {
    const client = vault.client();
    await client.authenticate(vault.admin());
    vault.faults.add({ method: 'GET', path: '/api/v1/workspace/*', status: 200, body: { nothing: true }, times: 1 });
    const error = await failure(client.getProject(vault.model.seed.projectId));
    expect(error.code).toBe('INFISICAL_RESPONSE_INVALID');
    expect(error.details).toMatchObject({ field: 'workspace' });
  });

  it('validates its options before any call, naming the option', () => {
    expect(() => createInfisicalClient({ proxyUrl: 'http://vault.raxx.app' })).toThrow(/proxyUrl/);
    expect(() => createInfisicalClient({})).toThrow(/connection/);
    const tokenless = resolveConnection({}, {}, { cloudflare: 'optional' });
    expect(() => createInfisicalClient({ connection: tokenless })).toThrow(/Cloudflare Access token/);
    expect(() => createInfisicalClient({ proxyUrl: 'http://127.0.0.1:2019', retries: -1 })).toThrow(/retries/);
    // Through a local proxy no Cloudflare token is needed.
    expect(() => createInfisicalClient({ proxyUrl: 'http://127.0.0.1:2019' })).not.toThrow();
  });
});

describe('InfisicalClient: retries and token renewal', () => {
  const sleeps: number[] = [];
  const counted = (extra = {}) => {
    sleeps.length = 0;
    return vault.client({}, { sleep: async (ms: number) => void sleeps.push(ms), retries: 2, retryDelayMs: 10, ...extra });
  };
  const projectCalls = () => vault.exchanges.filter((e) => e.path.startsWith('/api/v1/workspace/'));

  it('retries an idempotent GET after 503 and 429, with growing back-off', async () => {
    const client = counted();
    await client.authenticate(vault.admin());
    vault.faults.add({ method: 'GET', path: '/api/v1/workspace/*', status: 503, times: 1 });
    vault.faults.add({ method: 'GET', path: '/api/v1/workspace/*', status: 429, times: 1 });
    const project = await client.getProject(vault.model.seed.projectId);
    expect(project.orgId).toBe(vault.model.seed.organizationId);
    expect(projectCalls().map((e) => e.status)).toEqual([503, 429, 200]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] as number);
  });

  it('gives up after `retries` and reports the last status', async () => {
    const client = counted();
    await client.authenticate(vault.admin());
    vault.faults.add({ method: 'GET', path: '/api/v1/workspace/*', status: 500 });
    const error = await failure(client.getProject(vault.model.seed.projectId));
    expect(error.details).toMatchObject({ status: 500, error: 'InternalServerError' });
    expect(projectCalls()).toHaveLength(3);
  });

  it('retries the login (marked idempotent) after a 502', async () => {
    const client = counted();
    vault.faults.add({ method: 'POST', path: '/api/v1/auth/universal-auth/login', status: 502, times: 1 });
    await client.authenticate(vault.admin());
    expect(vault.exchanges.filter((e) => e.path.endsWith('/login')).map((e) => e.status)).toEqual([502, 200]);
  });

  it('never retries a non-idempotent POST: a 503 on create identity fails at once and creates nothing', async () => {
    const client = counted();
    await client.authenticate(vault.admin());
    vault.faults.add({ method: 'POST', path: '/api/v1/identities', status: 503, times: 1 });
    const error = await failure(client.createIdentity({ name: 'agent-once', organizationId: vault.model.seed.organizationId }));
    expect(error.details.status).toBe(503);
    expect(sleeps).toHaveLength(0);
    expect(vault.model.findIdentitiesByName('agent-once')).toHaveLength(0);
  });

  it('retries an idempotent GET after a dropped connection, but not a POST', async () => {
    const client = counted();
    await client.authenticate(vault.admin());
    vault.faults.add({ method: 'GET', path: '/api/v1/workspace/*', reset: true, times: 1 });
    expect((await client.getProject(vault.model.seed.projectId)).id).toBe(vault.model.seed.projectId);
    vault.faults.add({ method: 'POST', path: '/api/v1/identities', reset: true, times: 1 });
    const error = await failure(client.createIdentity({ name: 'agent-reset', organizationId: vault.model.seed.organizationId }));
    expect(error.code).toBe('INFISICAL_NETWORK');
  });

  it('renews the token once after the server calls it expired (403 TokenError)', async () => {
    const client = vault.client();
    await client.authenticate(vault.admin());
    vault.model.advanceTime(7300 * 1000);
    const project = await client.getProject(vault.model.seed.projectId);
    expect(project.id).toBe(vault.model.seed.projectId);
    expect(vault.exchanges.map((e) => `${e.path.split('/').slice(-1)[0]} ${e.status}`)).toEqual([
      'login 200',
      `${vault.model.seed.projectId} 403`,
      'login 200',
      `${vault.model.seed.projectId} 200`,
    ]);
  });

  it('renews ahead of expiry by its own clock, without a failed call', async () => {
    const client = vault.client({}, { now: () => vault.model.now() });
    await client.authenticate(vault.admin());
    vault.model.advanceTime(7190 * 1000); // inside the 30 s renewal margin
    await client.getProject(vault.model.seed.projectId);
    expect(vault.exchanges.map((e) => e.status)).toEqual([200, 200, 200]);
    expect(vault.exchanges.filter((e) => e.path.endsWith('/login'))).toHaveLength(2);
  });

  it('does not loop on a token that keeps failing: one renewal, then the error', async () => {
    const client = vault.client();
    await client.authenticate(vault.admin());
    vault.faults.add({ method: 'GET', path: '/api/v1/workspace/*', status: 401 });
    const error = await failure(client.getProject(vault.model.seed.projectId));
    expect(error.details.status).toBe(401);
    expect(vault.exchanges.filter((e) => e.path.endsWith('/login'))).toHaveLength(2);
  });
});
