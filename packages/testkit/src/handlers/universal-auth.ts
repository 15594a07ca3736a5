import type { HttpHandler } from 'msw';
import { revokeAccessToken } from '../model/access-tokens.js';
import { createClientSecret, getClientSecret, listClientSecrets, revokeClientSecret } from '../model/client-secrets.js';
import { login } from '../model/login.js';
import type { ClientSecretRecord, UniversalAuthRecord } from '../model/store.js';
import {
  attachUniversalAuth,
  clearLockouts,
  getUniversalAuth,
  removeUniversalAuth,
  UNIVERSAL_AUTH_DEFAULTS,
  type UniversalAuthSettings,
  updateUniversalAuth,
} from '../model/universal-auth.js';
import { type HandlerContext, route } from './route.js';
import type { FieldReader } from './validation.js';

const MAX_TTL = 315360000;

/** @internal */
export const universalAuthView = (r: UniversalAuthRecord) => ({
  id: r.id,
  clientId: r.clientId,
  accessTokenTTL: r.accessTokenTTL,
  accessTokenMaxTTL: r.accessTokenMaxTTL,
  accessTokenNumUsesLimit: r.accessTokenNumUsesLimit,
  clientSecretTrustedIps: r.clientSecretTrustedIps,
  accessTokenTrustedIps: r.accessTokenTrustedIps,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  identityId: r.identityId,
  accessTokenPeriod: r.accessTokenPeriod,
  lockoutEnabled: r.lockoutEnabled,
  lockoutThreshold: r.lockoutThreshold,
  lockoutDurationSeconds: r.lockoutDurationSeconds,
  lockoutCounterResetSeconds: r.lockoutCounterResetSeconds,
});

/** The sanitized client secret: never the hash, never the plaintext. @internal */
export const clientSecretView = (s: ClientSecretRecord) => ({
  id: s.id,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  description: s.description,
  clientSecretPrefix: s.prefix,
  clientSecretNumUses: s.numUses,
  clientSecretNumUsesLimit: s.numUsesLimit,
  clientSecretTTL: s.ttl,
  identityUAId: s.identityUAId,
  isClientSecretRevoked: s.revoked,
});

function trustedIps(b: FieldReader, key: string): Array<{ ipAddress: string }> | undefined {
  const raw = b.raw(key);
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0) {
    b.addIssue(key, 'Array must contain at least 1 element(s)', 'too_small', { minimum: 1, type: 'array' });
    return undefined;
  }
  return raw.map((item, i) => {
    const ip = item && typeof item === 'object' ? (item as { ipAddress?: unknown }).ipAddress : undefined;
    if (typeof ip !== 'string') b.addIssue([key, i, 'ipAddress'], 'Required', 'invalid_type', { expected: 'string' });
    return { ipAddress: typeof ip === 'string' ? ip.trim() : '' };
  });
}

function readSettings(b: FieldReader): Partial<UniversalAuthSettings> {
  const ttl = { int: true, min: 0, max: MAX_TTL };
  const settings: Partial<UniversalAuthSettings> = {
    accessTokenTTL: b.num('accessTokenTTL', ttl),
    accessTokenMaxTTL: b.num('accessTokenMaxTTL', ttl),
    accessTokenNumUsesLimit: b.num('accessTokenNumUsesLimit', { int: true, min: 0 }),
    accessTokenPeriod: b.num('accessTokenPeriod', { int: true, min: 0 }),
    clientSecretTrustedIps: trustedIps(b, 'clientSecretTrustedIps'),
    accessTokenTrustedIps: trustedIps(b, 'accessTokenTrustedIps'),
    lockoutEnabled: b.raw('lockoutEnabled') === undefined ? undefined : b.bool('lockoutEnabled', true),
    lockoutThreshold: b.num('lockoutThreshold', { int: true, min: 1, max: 30 }),
    lockoutDurationSeconds: b.num('lockoutDurationSeconds', { int: true, min: 30, max: 86400 }),
    lockoutCounterResetSeconds: b.num('lockoutCounterResetSeconds', { int: true, min: 5, max: 3600 }),
  };
  for (const key of Object.keys(settings) as Array<keyof UniversalAuthSettings>) if (settings[key] === undefined) delete settings[key];
  return settings;
}

/** Universal auth: login, configuration, client secrets, token revocation. @internal */
export function universalAuthHandlers(ctx: HandlerContext): HttpHandler[] {
  const { store } = ctx;
  const base = '/api/v1/auth/universal-auth';
  return [
    route(ctx, 'post', `${base}/login`, async (req) => {
      const b = await req.body();
      const clientId = b.str('clientId');
      const clientSecret = b.str('clientSecret');
      b.check();
      return login(store, clientId, clientSecret);
    }),
    route(ctx, 'post', '/api/v1/auth/token/revoke', async (req) => {
      const b = await req.body();
      const accessToken = b.str('accessToken');
      b.check();
      revokeAccessToken(store, accessToken);
      return { message: 'Successfully revoked access token' };
    }),
    route(ctx, 'post', `${base}/identities/:identityId`, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const settings = { ...UNIVERSAL_AUTH_DEFAULTS, ...readSettings(b) };
      if (settings.accessTokenTTL > settings.accessTokenMaxTTL) {
        b.addIssue('accessTokenTTL', 'Access Token TTL cannot be greater than Access Token Max TTL.');
      }
      b.check();
      const record = attachUniversalAuth(store, actor.identityId, req.params.identityId ?? '', settings);
      return { identityUniversalAuth: universalAuthView(record) };
    }),
    route(ctx, 'get', `${base}/identities/:identityId`, (req) => ({
      identityUniversalAuth: universalAuthView(getUniversalAuth(store, req.actor().identityId, req.params.identityId ?? '')),
    })),
    route(ctx, 'patch', `${base}/identities/:identityId`, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const patch = readSettings(b);
      b.check();
      return { identityUniversalAuth: universalAuthView(updateUniversalAuth(store, actor.identityId, req.params.identityId ?? '', patch)) };
    }),
    route(ctx, 'delete', `${base}/identities/:identityId`, (req) => ({
      identityUniversalAuth: universalAuthView(removeUniversalAuth(store, req.actor().identityId, req.params.identityId ?? '')),
    })),
    route(ctx, 'post', `${base}/identities/:identityId/clear-lockouts`, (req) => ({
      deleted: clearLockouts(store, req.actor().identityId, req.params.identityId ?? ''),
    })),
    route(ctx, 'post', `${base}/identities/:identityId/client-secrets`, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const input = {
        description: b.str('description', { default: '' }),
        numUsesLimit: b.num('numUsesLimit', { min: 0, default: 0 }),
        ttl: b.num('ttl', { min: 0, max: MAX_TTL, default: 0 }),
      };
      b.check();
      const { clientSecret, record } = createClientSecret(store, actor.identityId, req.params.identityId ?? '', input);
      return { clientSecret, clientSecretData: clientSecretView(record) };
    }),
    route(ctx, 'get', `${base}/identities/:identityId/client-secrets`, (req) => ({
      clientSecretData: listClientSecrets(store, req.actor().identityId, req.params.identityId ?? '').map(clientSecretView),
    })),
    route(ctx, 'get', `${base}/identities/:identityId/client-secrets/:clientSecretId`, (req) => ({
      clientSecretData: clientSecretView(
        getClientSecret(store, req.actor().identityId, req.params.identityId ?? '', req.params.clientSecretId ?? ''),
      ),
    })),
    route(ctx, 'post', `${base}/identities/:identityId/client-secrets/:clientSecretId/revoke`, (req) => ({
      clientSecretData: clientSecretView(
        revokeClientSecret(store, req.actor().identityId, req.params.identityId ?? '', req.params.clientSecretId ?? ''),
      ),
    })),
  ];
}
