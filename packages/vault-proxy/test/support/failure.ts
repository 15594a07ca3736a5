import { expect } from 'vitest';
import type { VaultProxyError } from '../../src/errors.js';

/**
 * What `promise` rejects with, typed as the package's one error class (assert
 * its code before relying on that); fails the test, saying `what`, when the
 * promise resolves instead.
 */
export async function failure(promise: Promise<unknown>, what = 'the call should fail'): Promise<VaultProxyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, what).toBeDefined();
  return error as VaultProxyError;
}
