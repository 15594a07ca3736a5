import { badRequest } from '../errors.js';
import { matchesGlob } from './glob.js';
import type { VaultStore } from './store.js';

/** The server's default `PARAMS_FOLDER_SECRET_DETECTION_ENTROPY` (backend/src/lib/config/env.ts). */
export const DEFAULT_DETECTION_ENTROPY = 3.7;

/** Shannon entropy of `value` in bits per character, as gitleaks' entropy rule measures it. @internal */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Refuse a secret write the way the opt-in detection policy does: only when the policy is on,
 * the folder matches one of its paths, the value is not on the project's ignore list and its
 * entropy is above the threshold. The real scan also runs gitleaks' default rules over
 * `KEY=value`; the fake models only the high-entropy rule, the one a client secret trips.
 * @internal
 */
// backend/src/ee/services/secret-scanning-v2/secret-scanning-v2-fns.ts: scanSecretPolicyViolations
export function assertNoPolicyViolation(store: VaultStore, secretPath: string, secretKey: string, value: string): void {
  const policy = store.server.secretDetection;
  if (!policy || value === '') return;
  if (!policy.paths.some((glob) => matchesGlob(secretPath, glob))) return;
  if (store.project.secretDetectionIgnoreValues.includes(value)) return;
  if (shannonEntropy(value) <= (policy.entropy ?? DEFAULT_DETECTION_ENTROPY)) return;
  // §12 says 403 PolicyViolationError; the server source throws a 400 BadRequestError named SecretPolicyViolation.
  throw badRequest(
    `Secret value detected in ${secretKey}. Please add this instead to the designated secrets path in the project.`,
    'SecretPolicyViolation',
  );
}
