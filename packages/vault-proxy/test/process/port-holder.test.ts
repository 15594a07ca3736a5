import { createServer } from 'node:net';
import { freePort } from '@raxx/vault-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { explainPortInUse, findPortHolder } from '../../src/process/index.js';
import { killChildren, spawnFixture } from '../support/stand-in-proxy.js';

afterEach(killChildren);

describe('findPortHolder', () => {
  it('names the process listening on a port', async () => {
    const { child, port } = await spawnFixture();
    const holder = await findPortHolder(port);
    expect(holder).toEqual({ pid: child.pid, command: 'node', isVaultProxy: true });
    expect((await findPortHolder(port, '127.0.0.1'))?.pid).toBe(child.pid);
    expect((await findPortHolder(port, 'localhost'))?.pid).toBe(child.pid);
  });

  it('finds this process holding a port and knows it is no vault-proxy', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await findPortHolder(port)).toMatchObject({ pid: process.pid, isVaultProxy: false });
      expect(await findPortHolder(port, '::1')).toBeUndefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('returns undefined for a port nobody listens on', async () => {
    expect(await findPortHolder(await freePort())).toBeUndefined();
  });

  it('explains a taken port as failure mode A, naming the port and the holder', async () => {
    const { child, port } = await spawnFixture();
    const error = await explainPortInUse(port, '127.0.0.1');
    expect(error.code).toBe('PORT_IN_USE');
    expect(error.message).toContain(`Port ${port}`);
    expect(error.message).toContain(`another vault-proxy (pid ${child.pid})`);
    expect(error.message).toContain(`vault-proxy stop --port ${port}`);
    expect(error.details).toMatchObject({ port, failureMode: 'A', holderPid: child.pid, holderIsVaultProxy: true });
  });
});
