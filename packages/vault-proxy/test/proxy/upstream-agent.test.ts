import type { Agent as HttpsAgent } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { createTestCertificates } from '@raxx/vault-testkit';
import { describe, expect, it } from 'vitest';
import { resolveProxyOptions } from '../../src/options.js';
import { trustedCas } from '../../src/tls-trust.js';
import { createUpstreamTransport } from '../../src/upstream-agent.js';

const SecureContext = createSecureContext().constructor;

const EXTRA_CA = '-----BEGIN CERTIFICATE-----\nEXTRA\n-----END CERTIFICATE-----\n';

function transportFor(options: Parameters<typeof resolveProxyOptions>[0]) {
  return createUpstreamTransport(resolveProxyOptions({ cfAccessClientId: 'id', cfAccessClientSecret: 's', ...options }, {}));
}

describe('upstream pool', () => {
  it('keeps connections alive, bounded by poolSize, reusing the most recent first', () => {
    const t = transportFor({ poolSize: 7 });
    const agent = t.agent as HttpsAgent & { keepAlive: boolean; maxSockets: number; maxFreeSockets: number; scheduling: string };
    expect(agent.keepAlive).toBe(true);
    expect(agent.maxSockets).toBe(7);
    expect(agent.maxFreeSockets).toBe(7);
    expect(agent.scheduling).toBe('lifo');
    t.destroy();
  });

  it('trusts an extra CA in addition to the public roots, never instead of them', () => {
    const ca = trustedCas(EXTRA_CA);
    expect(ca).toEqual([...rootCertificates, EXTRA_CA]);
  });

  it('builds that trust once, as a secure context, keeping the CA bundle out of the pool key', async () => {
    const { caCert } = await createTestCertificates();
    const t = transportFor({ ca: caCert });
    const options = (t.agent as HttpsAgent).options as { ca?: unknown; secureContext?: unknown };
    expect(options.secureContext).toBeInstanceOf(SecureContext);
    expect(options.ca).toBeUndefined();
    const key = (t.agent as HttpsAgent & { getName(o: object): string }).getName({ host: 'vault.raxx.app', port: 443 });
    expect(key.length).toBeLessThan(200);
    t.destroy();
  });

  it('leaves Node’s default trust alone without an extra CA', () => {
    const t = transportFor({});
    expect((t.agent as HttpsAgent).options.ca).toBeUndefined();
    expect((t.agent as HttpsAgent).options.rejectUnauthorized).not.toBe(false);
    t.destroy();
  });

  it('dials connectTo but keeps the upstream name for SNI', () => {
    const t = transportFor({ upstream: 'https://vault.raxx.app', connectTo: '[::1]:8443' });
    expect(t.dialAddress).toBe('[::1]:8443');
    expect((t.agent as HttpsAgent).options.servername).toBe('vault.raxx.app');
    t.destroy();
  });
});
