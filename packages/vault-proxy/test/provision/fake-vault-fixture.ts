import { createVaultModel, type FakeVault, startFakeVault, type VaultModelOptions } from '@raxx/vault-testkit';
import { afterEach } from 'vitest';
import { resolveConnection } from '../../src/connection/connection-options.js';
import { createInfisicalClient, type InfisicalClient } from '../../src/infisical/infisical-client.js';
import { SecretValue } from '../../src/secret-value.js';

/** Real sockets: a fake vault over loopback HTTPS per test, closed after it. */
export interface FakeVaultFixture {
  /** The running vault (after {@link FakeVaultFixture.start}). */
  readonly vault: FakeVault;
  /** Start a fresh vault whose model is made with `options` (a server profile, deployment settings). */
  start(options?: VaultModelOptions): Promise<FakeVault>;
  /** A direct client logged in as the seed's admin. */
  admin(): Promise<InfisicalClient>;
}

/** Install the per-test fake vault (call at file top level); each test calls `start()` first. */
export function useFakeVault(): FakeVaultFixture {
  let current: FakeVault | undefined;
  const clients: InfisicalClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await current?.close();
    current = undefined;
  });
  const fixture: FakeVaultFixture = {
    get vault() {
      if (!current) throw new Error('start() the fake vault first');
      return current;
    },
    async start(options = {}) {
      current = await startFakeVault({ port: 0, model: createVaultModel(options) });
      return current;
    },
    async admin() {
      const fake = fixture.vault;
      const client = createInfisicalClient({
        connection: resolveConnection(
          {
            upstream: fake.origin,
            connectTo: fake.connectTo,
            ca: fake.caCert,
            cfAccessClientId: fake.env.CF_ACCESS_CLIENT_ID,
            cfAccessClientSecret: new SecretValue(fake.env.CF_ACCESS_CLIENT_SECRET as string),
          },
          {},
        ),
      });
      clients.push(client);
      await client.authenticate({
        clientId: fake.model.seed.admin.clientId,
        clientSecret: new SecretValue(fake.model.seed.admin.clientSecret),
      });
      return client;
    },
  };
  return fixture;
}
