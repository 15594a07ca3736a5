import { afterEach, describe, expect, it } from 'vitest';
import { isVaultProxyProcess } from '../../src/process/index.js';
import { killChildren, spawnFixture, spawnSleep } from '../support/stand-in-proxy.js';
import { deadPid } from './helpers.js';

afterEach(killChildren);

describe('isVaultProxyProcess', () => {
  it('recognises a process running the vault-proxy script', async () => {
    const { child } = await spawnFixture();
    expect(isVaultProxyProcess(child.pid as number)).toBe(true);
  });

  it('rejects a process that merely has another name', () => {
    const child = spawnSleep();
    expect(isVaultProxyProcess(child.pid as number)).toBe(false);
  });

  it('rejects this test runner and a pid that no longer exists', async () => {
    expect(isVaultProxyProcess(process.pid)).toBe(false);
    expect(isVaultProxyProcess(await deadPid())).toBe(false);
    expect(isVaultProxyProcess(-1)).toBe(false);
  });
});
