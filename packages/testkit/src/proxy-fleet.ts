/**
 * A proxy as {@link proxyFleet} needs it. Structural, so the testkit does not
 * depend on `@raxx/vault-proxy` (which tests itself with the testkit).
 */
export interface FleetProxy {
  listen(): Promise<{ readonly port: number }>;
  close(): Promise<void>;
}

/** Silent loopback proxies started on demand, closed together. */
export interface ProxyFleet<O> {
  /** Start one more (`host` 127.0.0.1, an ephemeral port, log level silent, then `overrides`); resolves its port. */
  start(overrides?: O): Promise<number>;
  /** Close every proxy started so far. */
  closeAll(): Promise<void>;
}

/**
 * Several proxies in front of one fake vault, for tests that compare them:
 * the right Cloudflare token, a wrong one, a dead upstream. `env` is read at
 * each start (the vault is usually started in a `beforeAll`).
 *
 * @example
 * const fleet = proxyFleet(createProxy, () => vault.env);
 * const refused = await fleet.start({ cfAccessClientSecret: 'wrong' });
 * afterAll(() => fleet.closeAll());
 */
export function proxyFleet<O extends object>(
  createProxy: (options: O, env: Record<string, string>) => FleetProxy,
  env: () => Record<string, string>,
): ProxyFleet<O> {
  const started: FleetProxy[] = [];
  return {
    async start(overrides) {
      const proxy = createProxy({ host: '127.0.0.1', port: 0, logLevel: 'silent', ...overrides } as O, env());
      started.push(proxy);
      return (await proxy.listen()).port;
    },
    async closeAll() {
      await Promise.all(started.splice(0).map((p) => p.close()));
    },
  };
}
