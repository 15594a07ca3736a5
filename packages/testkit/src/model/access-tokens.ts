import { createHmac, timingSafeEqual } from 'node:crypto';
import { tokenError, unauthorized } from '../errors.js';
import { uuid } from './random.js';
import type { AccessTokenRecord, UniversalAuthRecord, VaultStore } from './store.js';

/** Who a valid access token speaks for. @internal */
export interface Actor {
  readonly identityId: string;
  readonly tokenId: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (store: VaultStore, data: string) => createHmac('sha256', store.tokenKey).update(data).digest();

/**
 * Mint an HS256 JWT like Infisical's identity access tokens, with `exp` from the UA config's TTL
 * (no `exp` when the TTL is 0). There is no renewal: a new token needs a new login.
 * @internal
 */
export function mintAccessToken(
  store: VaultStore,
  ua: UniversalAuthRecord,
  clientSecretId: string,
): { token: string; record: AccessTokenRecord } {
  const nowMs = store.clock.now();
  const iat = Math.floor(nowMs / 1000);
  const record: AccessTokenRecord = {
    id: uuid(),
    identityId: ua.identityId,
    clientSecretId,
    expiresAtMs: ua.accessTokenTTL > 0 ? nowMs + ua.accessTokenTTL * 1000 : undefined,
    numUses: 0,
    numUsesLimit: ua.accessTokenNumUsesLimit,
    revoked: false,
  };
  const payload = {
    identityId: ua.identityId,
    clientSecretId,
    identityAccessTokenId: record.id,
    authTokenType: 'identityAccessToken',
    iat,
    ...(ua.accessTokenTTL > 0 ? { exp: iat + ua.accessTokenTTL } : {}),
  };
  const data = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  store.accessTokens.set(record.id, record);
  return { token: `${data}.${sign(store, data).toString('base64url')}`, record };
}

const MALFORMED = 'The provided access token is malformed. Please use a valid token or generate a new one and try again.';

/** Check an access token as Infisical's auth plugin does and count its use. @internal */
export function authenticate(store: VaultStore, token: string): Actor {
  const parts = token.split('.');
  const [header, body, signature] = parts;
  if (parts.length !== 3 || !header || !body || !signature) throw tokenError(MALFORMED);
  const expected = sign(store, `${header}.${body}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw tokenError('invalid signature');
  let payload: { identityAccessTokenId?: unknown; authTokenType?: unknown };
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw tokenError(MALFORMED);
  }
  const record = typeof payload.identityAccessTokenId === 'string' ? store.accessTokens.get(payload.identityAccessTokenId) : undefined;
  if (record?.expiresAtMs !== undefined && record.expiresAtMs <= store.clock.now()) {
    throw tokenError('Your token has expired. Please re-authenticate.');
  }
  if (!record || record.revoked || payload.authTokenType !== 'identityAccessToken' || !store.identities.has(record.identityId)) {
    throw unauthorized('Failed to authenticate identity access token');
  }
  if (record.numUsesLimit > 0 && record.numUses >= record.numUsesLimit) {
    throw unauthorized('Unable to renew because access token number of uses limit reached');
  }
  record.numUses += 1;
  return { identityId: record.identityId, tokenId: record.id };
}

/** Revoke the token (POST /api/v1/auth/token/revoke). @internal */
export function revokeAccessToken(store: VaultStore, token: string): void {
  const actor = authenticate(store, token);
  const record = store.accessTokens.get(actor.tokenId);
  if (record) record.revoked = true;
}
