import type { PermissionRule } from './permissions.js';
import type { VaultStore } from './store.js';

/** The realistic reuse window: Infisical applies permission changes within about 10 s. */
export const REALISTIC_PERMISSION_CACHE_MS = 10_000;

/**
 * The identity's project rules, reused for `server.permissionCacheMs` after they were computed.
 * An identity checked for the first time always gets fresh rules (a brand-new identity is
 * unaffected); one checked again soon after its privileges changed may still get the old ones.
 * @internal
 */
// backend/src/ee/services/permission/permission-service.ts: project permission data is cached (withCacheFingerprint)
export function cachedProjectRules(store: VaultStore, identityId: string, compute: () => PermissionRule[]): PermissionRule[] {
  const ttl = store.server.permissionCacheMs;
  if (ttl <= 0) return compute();
  const now = store.clock.now();
  const hit = store.permissionCache.get(identityId);
  if (hit && now - hit.atMs < ttl) return hit.rules;
  const rules = compute();
  store.permissionCache.set(identityId, { rules, atMs: now });
  return rules;
}
