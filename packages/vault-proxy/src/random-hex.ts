/**
 * `bytes` random bytes as hex, from the Web Crypto global. Not
 * `node:crypto`'s `randomBytes`: importing that module costs
 * `vault-proxy start` ~7 ms before it can listen, while the global loads
 * only when first called (for temporary file names, after listening).
 * @internal
 */
export function randomHex(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}
