import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVaultProxyError, type VaultProxyError } from '../../src/errors.js';
import { type ProxyOptions, resolveProxyOptions } from '../../src/proxy/proxy-options.js';
import { SecretValue } from '../../src/secret-value.js';

const SECRET = 'opt-canary-secret-c0ffee';
const BASE_ENV = { CF_ACCESS_CLIENT_ID: 'env-id', CF_ACCESS_CLIENT_SECRET: SECRET };

/** The CONFIG_INVALID error a resolve throws. */
function failure(options: ProxyOptions, env: Record<string, string>): VaultProxyError {
  try {
    resolveProxyOptions(options, env);
  } catch (err) {
    if (isVaultProxyError(err, 'CONFIG_INVALID')) return err;
    throw err;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('resolveProxyOptions precedence', () => {
  it('uses defaults when nothing is set', () => {
    const r = resolveProxyOptions({}, BASE_ENV);
    expect(r).toMatchObject({
      host: '127.0.0.1',
      port: 2019,
      upstreamTimeoutMs: 30_000,
      idleTimeoutMs: 120_000,
      logFormat: 'pretty',
      logLevel: 'info',
      poolSize: 64,
      isLoopbackBind: true,
    });
    expect(r.connection).toMatchObject({
      upstreamHostHeader: 'vault.raxx.app',
      userAgent: 'raxx-vault-proxy/1.0',
      connectTo: undefined,
      ca: undefined,
    });
    expect(r.connection.upstream.origin).toBe('https://vault.raxx.app');
    expect(r.allowedHosts).toEqual([]);
  });

  it('reads the environment', () => {
    const r = resolveProxyOptions(
      {},
      {
        ...BASE_ENV,
        VAULT_PROXY_HOST: '::1',
        VAULT_PROXY_PORT: '2020',
        VAULT_PROXY_UPSTREAM: 'https://vault.example:8443',
        VAULT_PROXY_USER_AGENT: 'ua/2',
        VAULT_PROXY_CONNECT_TO: '127.0.0.1:9443',
        VAULT_PROXY_UPSTREAM_TIMEOUT_MS: '5000',
        VAULT_PROXY_ALLOWED_HOSTS: 'proxy.internal:2019, Other.Local',
        VAULT_PROXY_LOG_FORMAT: 'JSON',
        VAULT_PROXY_LOG_LEVEL: 'debug',
        VAULT_PROXY_POOL_SIZE: '8',
      },
    );
    expect(r).toMatchObject({
      host: '::1',
      port: 2020,
      upstreamTimeoutMs: 5000,
      logFormat: 'json',
      logLevel: 'debug',
      poolSize: 8,
    });
    expect(r.connection).toMatchObject({
      upstreamHostHeader: 'vault.example:8443',
      userAgent: 'ua/2',
      connectTo: { host: '127.0.0.1', port: 9443 },
    });
    expect(r.connection.cloudflare?.clientId).toBe('env-id');
    expect(r.connection.cloudflare?.clientSecret.reveal()).toBe(SECRET);
    expect(r.allowedHosts).toEqual(['proxy.internal:2019', 'other.local']);
  });

  it('lets explicit options win over the environment', () => {
    const r = resolveProxyOptions(
      { port: 0, cfAccessClientId: 'opt-id', cfAccessClientSecret: new SecretValue('opt-secret'), logLevel: 'warn' },
      { ...BASE_ENV, VAULT_PROXY_PORT: '2020', VAULT_PROXY_LOG_LEVEL: 'debug' },
    );
    expect(r.port).toBe(0);
    expect(r.connection.cloudflare?.clientId).toBe('opt-id');
    expect(r.connection.cloudflare?.clientSecret.reveal()).toBe('opt-secret');
    expect(r.logLevel).toBe('warn');
  });

  it('treats an empty variable as unset', () => {
    expect(resolveProxyOptions({}, { ...BASE_ENV, VAULT_PROXY_PORT: '' }).port).toBe(2019);
  });

  it('reads the extra CA from caFile and adds the ca text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-proxy-opt-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const r = resolveProxyOptions({ ca: 'EXTRA' }, { ...BASE_ENV, VAULT_PROXY_CA_FILE: file });
    expect(r.connection.caFile).toBe(file);
    expect(r.connection.ca).toContain('BEGIN CERTIFICATE');
    expect(r.connection.ca).toContain('EXTRA');
  });

  it('never shows the secret when the resolved options are printed', () => {
    const r = resolveProxyOptions({}, BASE_ENV);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});

describe('resolveProxyOptions validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vault-proxy-bad-'));
  const notPem = join(dir, 'not-a-ca.txt');
  writeFileSync(notPem, 'planted-value-in-file');

  it.each<[string, ProxyOptions, Record<string, string>, string, string]>([
    ['missing CF id', {}, { CF_ACCESS_CLIENT_SECRET: SECRET }, 'CF_ACCESS_CLIENT_ID', ''],
    ['missing CF secret', {}, { CF_ACCESS_CLIENT_ID: 'id' }, 'CF_ACCESS_CLIENT_SECRET', ''],
    [
      'secret with a line break',
      {},
      { CF_ACCESS_CLIENT_ID: 'id', CF_ACCESS_CLIENT_SECRET: `${SECRET}\nx` },
      'CF_ACCESS_CLIENT_SECRET',
      SECRET,
    ],
    ['port not a number', {}, { ...BASE_ENV, VAULT_PROXY_PORT: 'planted-port' }, 'VAULT_PROXY_PORT', 'planted-port'],
    ['port out of range', { port: 70000 }, BASE_ENV, 'option `port`', '70000'],
    ['upstream not a URL', {}, { ...BASE_ENV, VAULT_PROXY_UPSTREAM: 'planted url' }, 'VAULT_PROXY_UPSTREAM', 'planted url'],
    ['upstream plain http', {}, { ...BASE_ENV, VAULT_PROXY_UPSTREAM: 'http://planted.example' }, 'VAULT_PROXY_UPSTREAM', 'planted.example'],
    [
      'upstream with credentials',
      {},
      { ...BASE_ENV, VAULT_PROXY_UPSTREAM: 'https://user:plantedpw@vault.raxx.app' },
      'VAULT_PROXY_UPSTREAM',
      'plantedpw',
    ],
    ['upstream with path', { upstream: 'https://vault.raxx.app/planted-path' }, BASE_ENV, 'option `upstream`', 'planted-path'],
    ['connectTo without port', {}, { ...BASE_ENV, VAULT_PROXY_CONNECT_TO: 'planted-host' }, 'VAULT_PROXY_CONNECT_TO', 'planted-host'],
    [
      'caFile missing',
      {},
      { ...BASE_ENV, VAULT_PROXY_CA_FILE: join(dir, 'planted-missing.pem') },
      'VAULT_PROXY_CA_FILE',
      'planted-missing',
    ],
    ['caFile not PEM', {}, { ...BASE_ENV, VAULT_PROXY_CA_FILE: notPem }, 'VAULT_PROXY_CA_FILE', 'planted-value-in-file'],
    ['timeout zero', {}, { ...BASE_ENV, VAULT_PROXY_UPSTREAM_TIMEOUT_MS: '0' }, 'VAULT_PROXY_UPSTREAM_TIMEOUT_MS', ''],
    ['log level', {}, { ...BASE_ENV, VAULT_PROXY_LOG_LEVEL: 'planted-level' }, 'VAULT_PROXY_LOG_LEVEL', 'planted-level'],
    ['log format', {}, { ...BASE_ENV, VAULT_PROXY_LOG_FORMAT: 'planted-format' }, 'VAULT_PROXY_LOG_FORMAT', 'planted-format'],
    ['allowed hosts', {}, { ...BASE_ENV, VAULT_PROXY_ALLOWED_HOSTS: 'ok.host,planted/host' }, 'VAULT_PROXY_ALLOWED_HOSTS', 'planted/host'],
    ['user agent', {}, { ...BASE_ENV, VAULT_PROXY_USER_AGENT: 'planted\r\nX: y' }, 'VAULT_PROXY_USER_AGENT', 'planted'],
    ['pool size', {}, { ...BASE_ENV, VAULT_PROXY_POOL_SIZE: '0' }, 'VAULT_PROXY_POOL_SIZE', ''],
  ])('%s: names %s-ish field and not the value', (_label, options, env, field, planted) => {
    const err = failure(options, env);
    expect(err.message).toContain(field);
    const option = /^option `(\w+)`$/.exec(field)?.[1];
    expect(err.details.field).toBe(option ?? field);
    expect(err.details.source).toBe(option ? 'option' : 'env');
    const shown = `${err.message} ${JSON.stringify(err.details)}`;
    if (planted !== '') expect(shown).not.toContain(planted);
    expect(shown).not.toContain(SECRET);
  });
});
