/**
 * `bytes` random bytes as hex, from `node:crypto` fetched on first call
 * with `process.getBuiltinModule`. Not a static import: loading it costs
 * `vault-proxy start` ~7 ms before it can listen, and the first call (a
 * temporary file name) comes after listening, when the TLS side has loaded
 * it anyway. Not the Web Crypto global either: that loads Web Crypto's own
 * modules on top (idle RSS, BENCHMARKS.md, issue 13).
 * @internal
 */
export function randomHex(bytes: number): string {
  return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
}
