import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { proxyFleet } from '../src/proxy-fleet.js';

/** A stand-in for createProxy: a TCP listener on the options' host and port, recording what it was given. */
function standIn(seen: Array<{ options: Record<string, unknown>; env: Record<string, string> }>) {
  return (options: Record<string, unknown>, env: Record<string, string>) => {
    seen.push({ options, env });
    const server = createServer((s) => s.end());
    return {
      listen: () =>
        new Promise<{ port: number }>((resolve) =>
          server.listen(options.port as number, options.host as string, () => resolve(server.address() as { port: number })),
        ),
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  };
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => resolve(s.destroy() !== undefined));
    s.once('error', () => resolve(false));
  });

describe('proxyFleet', () => {
  it('starts silent loopback proxies on ephemeral ports with the overrides and the env of the moment; closes them all', async () => {
    const seen: Array<{ options: Record<string, unknown>; env: Record<string, string> }> = [];
    let env = { A: '1' };
    const fleet = proxyFleet(standIn(seen), () => env);
    const first = await fleet.start();
    env = { A: '2' };
    const second = await fleet.start({ logLevel: 'debug', cfAccessClientSecret: 'wrong' });
    expect(first).not.toBe(second);
    expect(seen.map((s) => s.options)).toEqual([
      { host: '127.0.0.1', port: 0, logLevel: 'silent' },
      { host: '127.0.0.1', port: 0, logLevel: 'debug', cfAccessClientSecret: 'wrong' },
    ]);
    expect(seen.map((s) => s.env.A)).toEqual(['1', '2']);
    expect([await accepts(first), await accepts(second)]).toEqual([true, true]);
    await fleet.closeAll();
    expect([await accepts(first), await accepts(second)]).toEqual([false, false]);
  });
});
