import { createSecureContext, rootCertificates } from 'node:tls';
import { createTestCertificates } from '@raxx/vault-testkit';
import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/connection/connection-options.js';
import { trustedCas } from '../../src/connection/tls-trust.js';
import { createUpstreamDialer } from '../../src/connection/upstream-dialer.js';

const SecureContext = createSecureContext().constructor;
const EXTRA_CA = '-----BEGIN CERTIFICATE-----\nEXTRA\n-----END CERTIFICATE-----\n';

function dialerFor(options: Parameters<typeof resolveConnection>[0]) {
  return createUpstreamDialer(resolveConnection({ cfAccessClientId: 'id', cfAccessClientSecret: 's', ...options }, {}));
}

describe('the upstream dialer (shared by the proxy and the Infisical client)', () => {
  it('trusts an extra CA in addition to the public roots, never instead of them', () => {
    expect(trustedCas(EXTRA_CA)).toEqual([...rootCertificates, EXTRA_CA]);
  });

  it('builds that trust once, as a secure context (no CA bundle in any pool key)', async () => {
    const { caCert } = await createTestCertificates();
    const dialer = dialerFor({ ca: caCert });
    expect(dialer.tlsOptions.secureContext).toBeInstanceOf(SecureContext);
    expect(dialer.tlsOptions.ca).toBeUndefined();
  });

  it('leaves Node’s default trust alone without an extra CA, and never turns verification off', () => {
    const dialer = dialerFor({});
    expect(dialer.tlsOptions.secureContext).toBeUndefined();
    expect(dialer.tlsOptions.rejectUnauthorized).not.toBe(false);
    expect(dialer.tlsOptions.minVersion).toBe('TLSv1.2');
  });

  it('dials connectTo but keeps the upstream name for SNI', () => {
    const dialer = dialerFor({ upstream: 'https://vault.raxx.app', connectTo: '[::1]:8443' });
    expect(dialer.dialAddress).toBe('[::1]:8443');
    expect(dialer.host).toBe('::1');
    expect(dialer.tlsOptions.servername).toBe('vault.raxx.app');
  });

  it('sends no SNI for an IP-literal upstream (RFC 6066 §3) and dials its default port', () => {
    const dialer = dialerFor({ upstream: 'https://127.0.0.1' });
    expect(dialer.tlsOptions.servername).toBeUndefined();
    expect(dialer.port).toBe(443);
  });
});
