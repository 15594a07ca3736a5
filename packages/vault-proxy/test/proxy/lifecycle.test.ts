import { Agent, request } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor, isVaultProxyError, VaultProxyError } from '../../src/errors.js';
import { createProxy } from '../../src/proxy/create-proxy.js';
import { type EchoUpstream, startEchoUpstream } from '../support/echo-upstream.js';
import { send } from '../support/http-client.js';
import { CANARY_SECRET, delay, startProxy } from '../support/proxy-fixture.js';

let upstream: EchoUpstream;

beforeAll(async () => {
  upstream = await startEchoUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

/** Resolves when `check` holds, polling; rejects after `ms`. */
async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await delay(10);
  }
}

describe('listen', () => {
  it('rejects with PORT_IN_USE naming host and port when the port is taken (failure mode A)', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const { port } = holder.address() as AddressInfo;
    try {
      const proxy = createProxy({ port, cfAccessClientId: 'id', cfAccessClientSecret: CANARY_SECRET, logSink: () => undefined }, {});
      const err = await proxy.listen().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isVaultProxyError(err, 'PORT_IN_USE')).toBe(true);
      const vpe = err as VaultProxyError;
      expect(vpe.message).toContain(`${port}`);
      expect(vpe.message).toContain('127.0.0.1');
      expect(vpe.details).toMatchObject({ port, failureMode: 'A' });
      expect(vpe.details.hint).toBeTruthy();
      expect(exitCodeFor(vpe)).toBe(3);
      expect(JSON.stringify({ m: vpe.message, d: vpe.details })).not.toContain(CANARY_SECRET);
      expect(proxy.address).toBeUndefined();
      await proxy.close();
    } finally {
      holder.close();
    }
  });

  it('throws CONFIG_INVALID synchronously, before binding', () => {
    expect(() => createProxy({ port: 0 }, {})).toThrow(VaultProxyError);
    try {
      createProxy({ port: 0, cfAccessClientId: 'id' }, {});
    } catch (err) {
      expect(isVaultProxyError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as VaultProxyError).message).toContain('CF_ACCESS_CLIENT_SECRET');
      expect(exitCodeFor(err)).toBe(2);
    }
  });

  it('reports the bound address and returns it again on a second listen()', async () => {
    const fx = await startProxy(upstream);
    expect(fx.address.host).toBe('127.0.0.1');
    expect(fx.address.port).toBeGreaterThan(0);
    expect(fx.address.url).toBe(`http://127.0.0.1:${fx.address.port}`);
    expect(await fx.proxy.listen()).toEqual(fx.address);
    expect(fx.proxy.address).toEqual(fx.address);
    await fx.close();
    expect(fx.proxy.address).toBeUndefined();
  });

  it('listens on ::1', async () => {
    const fx = await startProxy(upstream, { host: '::1' });
    try {
      expect(fx.url).toBe(`http://[::1]:${fx.address.port}`);
      expect((await send(fx.url, '/api/status')).status).toBe(200);
    } finally {
      await fx.close();
    }
  });
});

describe('close', () => {
  it('stops accepting, lets the in-flight request finish, then closes the upstream pool', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    upstream.route('/held', (_req, res) => {
      res.writeHead(200);
      res.write('begin|');
      void released.then(() => res.end('end'));
    });
    const fx = await startProxy(upstream, { shutdownTimeoutMs: 10_000 });
    const inFlight = send(fx.url, '/held');
    await until(() => upstream.requests.at(-1)?.url === '/held');
    const closing = fx.close();
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    // New connections are refused while the old request is still running.
    await expect(send(fx.url, '/api/status')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toBe(false);
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('begin|end');
    await closing;
    await until(() => upstream.openSockets === 0);
  });

  it('closes idle keep-alive client connections right away', async () => {
    const fx = await startProxy(upstream);
    const agent = new Agent({ keepAlive: true });
    let socketClosed = false;
    await new Promise<void>((resolve, reject) => {
      const url = new URL(fx.url);
      const req = request({ host: url.hostname, port: url.port, path: '/api/status', agent, headers: { host: url.host } }, (res) => {
        res.socket.once('close', () => {
          socketClosed = true;
        });
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await fx.close();
    await until(() => socketClosed);
    agent.destroy();
  });

  it('cuts requests still running after shutdownTimeoutMs', async () => {
    upstream.route('/forever', () => undefined);
    const fx = await startProxy(upstream, { shutdownTimeoutMs: 100 });
    const stuck = send(fx.url, '/forever');
    await until(() => upstream.requests.at(-1)?.url === '/forever');
    await fx.close();
    await expect(stuck).rejects.toThrow();
    expect(fx.logs.some((l) => l.includes('shutdown timeout'))).toBe(true);
  });

  it('refuses to listen again after close', async () => {
    const fx = await startProxy(upstream);
    await fx.close();
    await expect(fx.proxy.listen()).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
    await fx.close();
  });
});
