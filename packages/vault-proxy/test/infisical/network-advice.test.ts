import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createInfisicalClient } from '../../src/infisical/infisical-client.js';
import { failure } from '../support/failure.js';
import { useMswVault } from './msw-vault.js';

const vault = useMswVault();

/** A loopback URL nothing listens on. */
async function nothingListening(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('a call that got no answer says where it was going', () => {
  it('straight to the vault: a reset is about the vault and the network, never the proxy (no failure mode A)', async () => {
    vault.faults.add({ path: '/api/status', reset: true });
    const error = await failure(vault.client({}, { retries: 0 }).status());
    expect(error.code).toBe('INFISICAL_NETWORK');
    expect(error.details).toMatchObject({ code: 'ECONNRESET' });
    expect(error.details.failureMode).toBeUndefined();
    expect(error.message).toMatch(/Check the vault address, --connect-to and the network\./);
    expect(error.message).not.toMatch(/failure mode A|proxy/);
  });

  it('through a local proxy that is not running: names the proxy and failure mode A', async () => {
    const url = await nothingListening();
    const client = createInfisicalClient({ proxyUrl: url, retries: 0 });
    try {
      const error = await failure(client.status());
      expect(error.details).toMatchObject({ code: 'ECONNREFUSED', failureMode: 'A', proxyUrl: url });
      expect(error.message).toContain(`Nothing answers at the proxy ${url}: is it running? Runbook failure mode A`);
    } finally {
      client.close();
    }
  });
});
