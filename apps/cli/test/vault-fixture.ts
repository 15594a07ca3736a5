import { isVaultProxyProcess } from '@raxx/vault-proxy/process';
import { type FakeVault, startFakeVault } from '@raxx/vault-testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** A fake vault for the whole file (started before its tests, closed after them); call the getter inside a test. */
export function useFakeVault(): () => FakeVault {
  let fake: FakeVault | undefined;
  beforeAll(async () => {
    fake = await startFakeVault({ port: 0 });
  });
  afterAll(() => fake?.close());
  return () => {
    if (!fake) throw new Error('the fake vault starts in beforeAll: use it inside a test');
    return fake;
  };
}

/**
 * Pids of detached proxies a failed test may leave behind: push each one
 * started. After every test they are killed, but only while they still are
 * vault-proxies (pids get reused).
 */
export function useStrayProxies(): number[] {
  const strays: number[] = [];
  afterEach(() => {
    for (const pid of strays.splice(0)) if (isVaultProxyProcess(pid)) process.kill(pid, 'SIGKILL');
  });
  return strays;
}
