import { createHash, timingSafeEqual } from 'node:crypto';
import { badRequest, notFound } from '../errors.js';
import { assertCan, orgRulesOf } from './permissions.js';
import { randomHex, uuid } from './random.js';
import type { ClientSecretRecord, VaultStore } from './store.js';
import { identityForAuth } from './universal-auth.js';

/** @internal */
export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** @internal */
export function secretMatches(record: ClientSecretRecord, candidate: string): boolean {
  return timingSafeEqual(Buffer.from(record.hash, 'hex'), hashSecret(candidate));
}

/**
 * Issue a client secret: 32 random bytes as hex, returned once; only its hash and 4-char prefix are kept.
 * @internal
 */
export function createClientSecret(
  store: VaultStore,
  actorId: string,
  identityId: string,
  input: { description: string; numUsesLimit: number; ttl: number },
): { clientSecret: string; record: ClientSecretRecord } {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'edit', 'identity', { identityId });
  const ua = store.universalAuth.get(identityId);
  if (!ua) throw badRequest('The identity does not have universal auth');
  return issueClientSecret(store, identityId, input);
}

/** Issue without a permission check (seeding). @internal */
export function issueClientSecret(
  store: VaultStore,
  identityId: string,
  input: { description: string; numUsesLimit: number; ttl: number },
): { clientSecret: string; record: ClientSecretRecord } {
  const ua = store.universalAuth.get(identityId);
  if (!ua) throw badRequest('The identity does not have universal auth');
  const clientSecret = randomHex(32);
  const now = store.clock.iso();
  const record: ClientSecretRecord = {
    id: uuid(),
    identityId,
    identityUAId: ua.id,
    prefix: clientSecret.slice(0, 4),
    hash: hashSecret(clientSecret).toString('hex'),
    description: input.description,
    numUses: 0,
    numUsesLimit: input.numUsesLimit,
    ttl: input.ttl,
    revoked: false,
    createdAt: now,
    createdAtMs: store.clock.now(),
    updatedAt: now,
  };
  store.clientSecrets.set(record.id, record);
  return { clientSecret, record };
}

/** Non-revoked client secrets of an identity (as GET .../client-secrets lists them). @internal */
export function listClientSecrets(store: VaultStore, actorId: string, identityId: string): ClientSecretRecord[] {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'read', 'identity', { identityId });
  if (!store.universalAuth.has(identityId)) throw badRequest('The identity does not have universal auth');
  return [...store.clientSecrets.values()].filter((s) => s.identityId === identityId && !s.revoked);
}

/** One client secret; unknown ids get Infisical's (sic) identity-worded 404. @internal */
export function getClientSecret(store: VaultStore, actorId: string, identityId: string, clientSecretId: string): ClientSecretRecord {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'read', 'identity', { identityId });
  const record = store.clientSecrets.get(clientSecretId);
  if (!record || record.identityId !== identityId) throw notFound(`Failed to find identity with ID ${identityId}`);
  return record;
}

/** Soft revoke: the row stays, marked revoked. Revoking twice is not an error. @internal */
export function revokeClientSecret(store: VaultStore, actorId: string, identityId: string, clientSecretId: string): ClientSecretRecord {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'edit', 'identity', { identityId });
  const record = store.clientSecrets.get(clientSecretId);
  if (!record || record.identityId !== identityId) throw notFound(`Failed to find identity with ID ${identityId}`);
  record.revoked = true;
  record.updatedAt = store.clock.iso();
  return record;
}
