import type { HttpHandler } from 'msw';
import { createCloudflareEdge } from './cloudflare-gate.js';
import type { FaultInjector } from './fault-injector.js';
import { fallbackHandlers } from './handlers/fallback.js';
import { folderHandlers } from './handlers/folders.js';
import { identityHandlers } from './handlers/identities.js';
import { membershipHandlers } from './handlers/memberships.js';
import { privilegeHandlers } from './handlers/privileges.js';
import { projectHandlers } from './handlers/projects.js';
import type { HandlerContext } from './handlers/route.js';
import { secretHandlers } from './handlers/secrets.js';
import { statusHandlers } from './handlers/status.js';
import { universalAuthHandlers } from './handlers/universal-auth.js';
import { storeOf, type VaultModel } from './model/vault-model.js';

/** Options of {@link createVaultHandlers}. */
export interface VaultHandlersOptions {
  /** The origin the handlers answer for. Default: `https://vault.raxx.app`. */
  origin?: string;
  /** Faults to inject after Cloudflare admitted a request. Default: none. */
  faults?: FaultInjector;
}

/**
 * msw 2 handlers playing Cloudflare (Bot Fight Mode, Access service token) in front of the model's
 * Infisical API. Every path on the origin is answered, unknown ones with Fastify's 404.
 */
export function createVaultHandlers(model: VaultModel, options: VaultHandlersOptions = {}): HttpHandler[] {
  const origin = (options.origin ?? 'https://vault.raxx.app').replace(/\/+$/, '');
  const ctx: HandlerContext = {
    store: storeOf(model),
    origin,
    faults: options.faults,
    edge: createCloudflareEdge({
      hostname: new URL(origin).hostname,
      clientId: model.seed.cfAccessClientId,
      clientSecret: model.seed.cfAccessClientSecret,
    }),
  };
  return [
    ...statusHandlers(ctx),
    ...universalAuthHandlers(ctx),
    ...identityHandlers(ctx),
    ...projectHandlers(ctx),
    ...folderHandlers(ctx),
    ...secretHandlers(ctx),
    ...membershipHandlers(ctx),
    ...privilegeHandlers(ctx),
    ...fallbackHandlers(ctx),
  ];
}
