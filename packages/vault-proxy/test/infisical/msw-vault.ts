import {
  createFaultInjector,
  createVaultHandlers,
  createVaultModel,
  type FaultInjector,
  type VaultModel,
  type VaultModelOptions,
} from '@raxx/vault-testkit';
import type { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type ConnectionOptions, resolveConnection } from '../../src/connection/connection-options.js';
import { isLoopbackHost } from '../../src/connection/host-names.js';
import type { InfisicalClientOptions } from '../../src/infisical/client-options.js';
import { createInfisicalClient, type InfisicalClient } from '../../src/infisical/infisical-client.js';
import { SecretValue } from '../../src/secret-value.js';

/** One answer msw gave, for assertions on what went over the wire. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** A fresh model per test behind msw (Cloudflare gate included), plus the wire log. */
export interface MswVault {
  model: VaultModel;
  faults: FaultInjector;
  readonly exchanges: Exchange[];
  /** A direct client with the seed's Cloudflare token (unless `connection` overrides it) and no back-off wait. */
  client(connection?: ConnectionOptions, overrides?: Omit<InfisicalClientOptions, 'connection' | 'proxyUrl'>): InfisicalClient;
  /** The seed's admin credentials. */
  admin(): { clientId: string; clientSecret: SecretValue };
  /** A fresh model made with `options` (a server profile, deployment settings), fresh faults, empty wire log. */
  reset(options?: VaultModelOptions): void;
  /** Handlers tried before the vault's for the rest of the test (e.g. one that lets a call happen, then loses its answer). */
  prepend(...handlers: HttpHandler[]): void;
}

/**
 * Install msw for the file: unhandled requests fail the test, except loopback
 * (real sockets of in-process proxies and fake vaults). Call at file top level.
 */
export function useMswVault(): MswVault {
  const server = setupServer();
  const clients: InfisicalClient[] = [];
  const vault: MswVault = {
    model: createVaultModel(),
    faults: createFaultInjector(),
    exchanges: [],
    client(connection = {}, overrides = {}) {
      const c = createInfisicalClient({
        connection: resolveConnection(
          {
            cfAccessClientId: vault.model.seed.cfAccessClientId,
            cfAccessClientSecret: new SecretValue(vault.model.seed.cfAccessClientSecret),
            ...connection,
          },
          {},
        ),
        retryDelayMs: 0,
        ...overrides,
      });
      clients.push(c);
      return c;
    },
    admin: () => ({ clientId: vault.model.seed.admin.clientId, clientSecret: new SecretValue(vault.model.seed.admin.clientSecret) }),
    reset(options = {}) {
      vault.model = createVaultModel(options);
      vault.faults = createFaultInjector();
      vault.exchanges.length = 0;
      server.resetHandlers(...createVaultHandlers(vault.model, { faults: vault.faults }));
    },
    prepend: (...handlers) => server.use(...handlers),
  };
  beforeAll(() => {
    server.listen({
      onUnhandledRequest(request, print) {
        if (isLoopbackHost(new URL(request.url).hostname)) return;
        print.error();
      },
    });
    server.events.on('response:mocked', ({ request, response }) => {
      vault.exchanges.push({ method: request.method, path: new URL(request.url).pathname, status: response.status });
    });
  });
  beforeEach(() => {
    for (const c of clients.splice(0)) c.close();
    vault.reset();
  });
  afterAll(() => {
    for (const c of clients.splice(0)) c.close();
    server.close();
  });
  return vault;
}
