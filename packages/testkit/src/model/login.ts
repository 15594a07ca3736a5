import { unauthorized } from '../errors.js';
import { mintAccessToken } from './access-tokens.js';
import { secretMatches } from './client-secrets.js';
import type { UniversalAuthRecord, VaultStore } from './store.js';
import { isLockedOut } from './universal-auth.js';

/** The 200 body of a universal-auth login. @internal */
export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  accessTokenMaxTTL: number;
  tokenType: 'Bearer';
}

const INVALID = 'Invalid credentials';

function recordFailure(store: VaultStore, ua: UniversalAuthRecord): void {
  if (!ua.lockoutEnabled) return;
  const now = store.clock.now();
  const state = store.lockouts.get(ua.identityId) ?? { failures: [], lockedUntilMs: 0 };
  state.failures = state.failures.filter((t) => now - t < ua.lockoutCounterResetSeconds * 1000);
  state.failures.push(now);
  if (state.failures.length >= ua.lockoutThreshold) {
    state.lockedUntilMs = now + ua.lockoutDurationSeconds * 1000;
    state.failures = [];
  }
  store.lockouts.set(ua.identityId, state);
}

/**
 * POST /api/v1/auth/universal-auth/login: find the UA config by client id, refuse while locked out,
 * match a non-revoked secret by prefix then hash, enforce TTL and use limit (both revoke the secret),
 * count the use and mint a token.
 * @internal
 */
export function login(store: VaultStore, clientId: string, clientSecret: string): LoginResult {
  const ua = [...store.universalAuth.values()].find((u) => u.clientId === clientId);
  if (!ua) throw unauthorized(INVALID);
  if (isLockedOut(store, ua.identityId)) throw unauthorized('This identity auth method is temporarily locked, please try again later');
  const prefix = clientSecret.slice(0, 4);
  const match = [...store.clientSecrets.values()].find(
    (s) => s.identityUAId === ua.id && !s.revoked && s.prefix === prefix && secretMatches(s, clientSecret),
  );
  if (!match) {
    recordFailure(store, ua);
    throw unauthorized(INVALID);
  }
  const now = store.clock.now();
  if (match.ttl > 0 && match.createdAtMs + match.ttl * 1000 < now) {
    match.revoked = true;
    throw unauthorized('Access denied due to expired client secret');
  }
  if (match.numUsesLimit > 0 && match.numUses >= match.numUsesLimit) {
    match.revoked = true;
    throw unauthorized('Access denied due to client secret usage limit reached');
  }
  match.numUses += 1;
  match.updatedAt = store.clock.iso();
  store.lockouts.delete(ua.identityId);
  const { token } = mintAccessToken(store, ua, match.id);
  return {
    accessToken: token,
    expiresIn: ua.accessTokenPeriod > 0 ? ua.accessTokenPeriod : ua.accessTokenTTL,
    accessTokenMaxTTL: ua.accessTokenPeriod > 0 ? 1000000000 : ua.accessTokenMaxTTL,
    tokenType: 'Bearer',
  };
}
