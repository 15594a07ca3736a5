import { isIP } from 'node:net';
import { badRequest, notFound } from '../errors.js';
import { assertCan, orgRulesOf } from './permissions.js';
import { uuid } from './random.js';
import { behaviourOf } from './server-profile.js';
import type { IdentityRecord, TrustedIp, UniversalAuthRecord, VaultStore } from './store.js';

/** Universal-auth settings as accepted by attach (defaults applied) and patch (all optional). @internal */
export interface UniversalAuthSettings {
  accessTokenTTL: number;
  accessTokenMaxTTL: number;
  accessTokenNumUsesLimit: number;
  accessTokenPeriod: number;
  clientSecretTrustedIps: Array<{ ipAddress: string }>;
  accessTokenTrustedIps: Array<{ ipAddress: string }>;
  lockoutEnabled: boolean;
  lockoutThreshold: number;
  lockoutDurationSeconds: number;
  lockoutCounterResetSeconds: number;
}

/** Infisical's defaults for POST /api/v1/auth/universal-auth/identities/{id}. @internal */
export const UNIVERSAL_AUTH_DEFAULTS: UniversalAuthSettings = {
  accessTokenTTL: 2592000,
  accessTokenMaxTTL: 2592000,
  accessTokenNumUsesLimit: 0,
  accessTokenPeriod: 0,
  clientSecretTrustedIps: [{ ipAddress: '0.0.0.0/0' }, { ipAddress: '::/0' }],
  accessTokenTrustedIps: [{ ipAddress: '0.0.0.0/0' }, { ipAddress: '::/0' }],
  lockoutEnabled: true,
  lockoutThreshold: 3,
  lockoutDurationSeconds: 300,
  lockoutCounterResetSeconds: 30,
};

// Self-hosted CE without a licence: only the "everything" ranges are allowed (IP allow-listing is a paid feature).
function parseTrustedIps(list: ReadonlyArray<{ ipAddress: string }>): TrustedIp[] {
  return list.map(({ ipAddress }) => {
    const [address = '', prefixText] = ipAddress.split('/');
    const family = isIP(address);
    const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw badRequest('The IP is not a valid IPv4, IPv6, or CIDR block');
    }
    if (prefix !== 0) {
      throw badRequest('Failed to add IP access range to service token due to plan restriction. Upgrade plan to add IP access range.');
    }
    return { ipAddress: address, type: family === 6 ? 'ipv6' : 'ipv4', prefix };
  });
}

/** The identity behind a UA route, or 404 with Infisical's capitalised "ID" message. @internal */
export function identityForAuth(store: VaultStore, identityId: string): IdentityRecord {
  const identity = store.identities.get(identityId);
  if (!identity) throw notFound(`Failed to find identity with ID ${identityId}`);
  return identity;
}

/** @internal */
export function attachUniversalAuth(
  store: VaultStore,
  actorId: string,
  identityId: string,
  settings: UniversalAuthSettings,
): UniversalAuthRecord {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'create', 'identity', { identityId });
  if (store.universalAuth.has(identityId)) throw badRequest('Failed to add universal auth to already configured identity');
  if (settings.accessTokenTTL > 0 && settings.accessTokenMaxTTL > 0 && settings.accessTokenTTL > settings.accessTokenMaxTTL) {
    throw badRequest('Access token TTL cannot be greater than max TTL');
  }
  const now = store.clock.iso();
  const record: UniversalAuthRecord = {
    ...settings,
    clientSecretTrustedIps: parseTrustedIps(settings.clientSecretTrustedIps),
    accessTokenTrustedIps: parseTrustedIps(settings.accessTokenTrustedIps),
    id: uuid(),
    identityId,
    clientId: uuid(),
    createdAt: now,
    updatedAt: now,
  };
  store.universalAuth.set(identityId, record);
  return record;
}

/** @internal */
export function getUniversalAuth(store: VaultStore, actorId: string, identityId: string): UniversalAuthRecord {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'read', 'identity', { identityId });
  const record = store.universalAuth.get(identityId);
  // Current builds answer 404, older ones 400 (see server-profile.ts).
  if (!record) throw behaviourOf(store.server.profile).universalAuthAbsent(identityId);
  return record;
}

/** @internal */
export function updateUniversalAuth(
  store: VaultStore,
  actorId: string,
  identityId: string,
  patch: Partial<UniversalAuthSettings>,
): UniversalAuthRecord {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'edit', 'identity', { identityId });
  const record = store.universalAuth.get(identityId);
  if (!record) throw badRequest('The identity does not have universal auth');
  const ttl = patch.accessTokenTTL ?? record.accessTokenTTL;
  const maxTtl = patch.accessTokenMaxTTL ?? record.accessTokenMaxTTL;
  if (ttl > 0 && maxTtl > 0 && ttl > maxTtl) throw badRequest('Access token TTL cannot be greater than max TTL');
  const { clientSecretTrustedIps, accessTokenTrustedIps, ...scalars } = patch;
  Object.assign(record, scalars);
  if (clientSecretTrustedIps) record.clientSecretTrustedIps = parseTrustedIps(clientSecretTrustedIps);
  if (accessTokenTrustedIps) record.accessTokenTrustedIps = parseTrustedIps(accessTokenTrustedIps);
  record.updatedAt = store.clock.iso();
  return record;
}

/** Remove universal auth with its client secrets and the tokens they issued. @internal */
export function removeUniversalAuth(store: VaultStore, actorId: string, identityId: string): UniversalAuthRecord {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'edit', 'identity', { identityId });
  const record = store.universalAuth.get(identityId);
  if (!record) throw badRequest('The identity does not have universal auth');
  store.universalAuth.delete(identityId);
  for (const [id, s] of store.clientSecrets) if (s.identityId === identityId) store.clientSecrets.delete(id);
  for (const [id, t] of store.accessTokens) if (t.identityId === identityId) store.accessTokens.delete(id);
  store.lockouts.delete(identityId);
  return record;
}

/** Lift an active lockout; answers how many were cleared. @internal */
export function clearLockouts(store: VaultStore, actorId: string, identityId: string): number {
  identityForAuth(store, identityId);
  assertCan(orgRulesOf(store, actorId), 'edit', 'identity', { identityId });
  const had = store.lockouts.has(identityId) ? 1 : 0;
  store.lockouts.delete(identityId);
  return had;
}

/** Whether universal auth of an identity is locked right now. @internal */
export function isLockedOut(store: VaultStore, identityId: string): boolean {
  const state = store.lockouts.get(identityId);
  return state !== undefined && state.lockedUntilMs > store.clock.now();
}
