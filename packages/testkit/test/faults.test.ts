import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../src/fault-spec.js';
import { createFaultInjector } from '../src/index.js';
import { useMswVault } from './support/vault-client.js';

const vault = useMswVault();

describe('fault injection (msw)', () => {
  it('fails a method + path glob N times with an Infisical 5xx body, then recovers', async () => {
    const admin = await vault.client.adminToken();
    vault.faults.add({ method: 'POST', path: '/api/v1/identities', status: 500, times: 2 });
    const body = { name: 'after-faults', organizationId: vault.model.seed.organizationId };
    for (let i = 0; i < 2; i++) {
      const r = await vault.client.call('POST', '/api/v1/identities', { token: admin, body });
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ reqId: expect.any(String), statusCode: 500, message: 'Something went wrong', error: 'InternalServerError' });
      expect(r.headers.get('server')).toBe('cloudflare');
    }
    expect(vault.model.findIdentitiesByName('after-faults')).toEqual([]);
    expect(vault.faults.rules).toEqual([]);
    expect((await vault.client.call('POST', '/api/v1/identities', { token: admin, body })).status).toBe(200);
  });

  it('matches globs and methods; other requests pass', async () => {
    vault.faults.add({ path: '/api/v3/secrets/raw/**', status: 429 });
    const token = await vault.client.mcpToken();
    const q = { workspaceId: vault.model.seed.projectId, environment: 'prod', secretPath: '/MooseQuest/app' };
    const r = await vault.client.call('GET', '/api/v3/secrets/raw/DEMO_API_KEY', { token, query: q });
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ statusCode: 429, error: 'RateLimitExceeded', message: expect.stringContaining('Rate limit exceeded') });
    expect((await vault.client.call('GET', '/api/status')).status).toBe(200);
    vault.faults.clear();
    vault.faults.add({ method: 'DELETE', path: '/api/status', status: 503 });
    expect((await vault.client.call('GET', '/api/status')).status).toBe(200);
  });

  it('applies only after Cloudflare admitted the request', async () => {
    vault.faults.add({ path: '/api/status', status: 500, times: 1 });
    expect((await vault.client.call('GET', '/api/status', { edge: false, headers: { 'user-agent': 'curl/8' } })).status).toBe(403);
    expect((await vault.client.call('GET', '/api/status')).status).toBe(500);
    expect((await vault.client.call('GET', '/api/status')).status).toBe(200);
  });

  it('answers with a custom body', async () => {
    vault.faults.add({ path: '/api/status', status: 502, body: { oops: true }, times: 1 });
    const r = await vault.client.call('GET', '/api/status');
    expect(r).toMatchObject({ status: 502, body: { oops: true } });
  });

  it('turns reset into a network error', async () => {
    vault.faults.add({ path: '/api/status', reset: true, times: 1 });
    await expect(vault.client.call('GET', '/api/status')).rejects.toThrow();
    expect((await vault.client.call('GET', '/api/status')).status).toBe(200);
  });

  it('delays a response by latencyMs without failing it', async () => {
    vault.faults.add({ path: '/api/status', latencyMs: 150, times: 1 });
    let settled = false;
    const pending = vault.client.call('GET', '/api/status').finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect((await pending).status).toBe(200);
  });

  it('validates rules and reports what is left', () => {
    const faults = createFaultInjector();
    expect(() => faults.add({ path: 'api/status', status: 500 })).toThrow(TypeError);
    expect(() => faults.add({ path: '/x', status: 42 })).toThrow(TypeError);
    expect(() => faults.add({ path: '/x' })).toThrow(TypeError);
    faults.add({ path: '/x', status: 500, times: 3 });
    expect(faults.rules).toEqual([{ path: '/x', status: 500, times: 3 }]);
  });
});

describe('fault specs of the fake-vault command line', () => {
  it.each([
    ['fail', 'POST /api/v1/identities=500x2', { method: 'POST', path: '/api/v1/identities', status: 500, times: 2 }],
    ['fail', '/api/v3/secrets/raw/**=429', { path: '/api/v3/secrets/raw/**', status: 429 }],
    ['latency', '50', { path: '/**', latencyMs: 50 }],
    ['latency', 'GET /api/status=200', { method: 'GET', path: '/api/status', latencyMs: 200 }],
    ['reset', 'GET /api/status', { method: 'GET', path: '/api/status', reset: true }],
    ['reset', 'get /api/status=x1', { method: 'GET', path: '/api/status', reset: true, times: 1 }],
  ] as const)('--%s %s', (kind, spec, rule) => {
    expect(parseFaultSpec(kind, spec)).toEqual(rule);
  });

  it.each([
    ['fail', 'POST /x'],
    ['fail', 'POST /x=abc'],
    ['fail', 'POST x=500'],
    ['fail', '/x=500x0'],
    ['latency', 'GET /x'],
    ['reset', 'GET /x=500'],
  ] as const)('rejects --%s %s', (kind, spec) => {
    expect(() => parseFaultSpec(kind, spec)).toThrow(TypeError);
  });
});
