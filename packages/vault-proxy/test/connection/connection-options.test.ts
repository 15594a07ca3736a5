import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/connection/connection-options.js';
import { SecretValue } from '../../src/secret-value.js';

const TOKEN = { CF_ACCESS_CLIENT_ID: 'cf-id', CF_ACCESS_CLIENT_SECRET: 'cf-secret-canary-19' };

describe('resolveConnection: one place for how the vault is reached', () => {
  it('reads every field from the environment, with the defaults of the settings table', () => {
    const c = resolveConnection({}, TOKEN);
    expect(c.upstream.origin).toBe('https://vault.raxx.app');
    expect(c.upstreamHostHeader).toBe('vault.raxx.app');
    expect(c.userAgent).toBe('raxx-vault-proxy/1.0');
    expect(c.connectTo).toBeUndefined();
    expect(c.cloudflare?.clientId).toBe('cf-id');
    expect(c.cloudflare?.clientSecret).toBeInstanceOf(SecretValue);
    expect(JSON.stringify(c)).not.toContain('cf-secret-canary-19');
  });

  it('lets options win, keeps a non-default port in Host, and parses connect-to', () => {
    const c = resolveConnection(
      { upstream: 'https://vault.example:8443', connectTo: '[::1]:9443', userAgent: 'ua/2' },
      { ...TOKEN, VAULT_PROXY_UPSTREAM: 'https://other.example' },
    );
    expect(c.upstream.origin).toBe('https://vault.example:8443');
    expect(c.upstreamHostHeader).toBe('vault.example:8443');
    expect(c.connectTo).toEqual({ host: '::1', port: 9443 });
    expect(c.userAgent).toBe('ua/2');
  });

  it('requires the Cloudflare token unless told it is optional (a proxy in between adds it)', () => {
    expect(() => resolveConnection({}, {})).toThrow(/CF_ACCESS_CLIENT_ID is not set/);
    expect(() => resolveConnection({}, { CF_ACCESS_CLIENT_ID: 'x' })).toThrow(/CF_ACCESS_CLIENT_SECRET is not set/);
    expect(resolveConnection({}, {}, { cloudflare: 'optional' }).cloudflare).toBeUndefined();
    // Half a token is a mistake even where the token is optional.
    expect(() => resolveConnection({}, { CF_ACCESS_CLIENT_ID: 'x' }, { cloudflare: 'optional' })).toThrow(/CF_ACCESS_CLIENT_SECRET/);
  });

  it('refuses plain http to anything but loopback, naming where the value came from', () => {
    expect(() => resolveConnection({ upstream: 'http://vault.raxx.app' }, TOKEN)).toThrow(/option `upstream` uses plain http/);
    expect(() => resolveConnection({}, { ...TOKEN, VAULT_PROXY_UPSTREAM: 'http://vault.raxx.app' })).toThrow(
      /VAULT_PROXY_UPSTREAM uses plain http/,
    );
    expect(resolveConnection({ upstream: 'http://127.0.0.1:8080' }, TOKEN).upstream.port).toBe('8080');
  });

  it('returns a fresh URL each time (the default is shared, URLs are mutable)', () => {
    const a = resolveConnection({}, TOKEN);
    a.upstream.hostname = 'changed.example';
    expect(resolveConnection({}, TOKEN).upstream.hostname).toBe('vault.raxx.app');
  });
});
