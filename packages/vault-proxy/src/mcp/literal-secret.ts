/**
 * Heuristics for "this looks like a pasted secret", used to refuse writing
 * one into an MCP config. They err on the side of refusing: a config value
 * that trips them is never needed (credentials go in as references).
 */

const HEX_SECRET = /^[0-9a-f]{32,}$/i;
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const TOKEN_CHARS = /^[A-Za-z0-9+/=_\-.~]+$/;

/** Why a value looks like a literal secret, or `undefined` when it does not. */
export function literalSecretKind(value: string): 'hex' | 'jwt' | 'token' | undefined {
  const v = value.trim();
  if (HEX_SECRET.test(v)) return 'hex';
  if (JWT.test(v)) return 'jwt';
  // A long run of token characters mixing letters and digits is what API
  // keys, client secrets and access tokens look like; words, URLs, absolute
  // paths and scoped package specs are short, contain other characters,
  // lack digits or start with `/`, `.` or `@`.
  if (v.length >= 24 && TOKEN_CHARS.test(v) && /[A-Za-z]/.test(v) && /[0-9]/.test(v) && !/^[/.@]/.test(v)) return 'token';
  return undefined;
}

/** Whether a value looks like a literal secret (64 hex, a JWT, a long random token). */
export function looksLikeLiteralSecret(value: string): boolean {
  return literalSecretKind(value) !== undefined;
}
