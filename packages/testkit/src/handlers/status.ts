import type { HttpHandler } from 'msw';
import { type HandlerContext, route } from './route.js';

/** GET /api/status: no auth; what a self-hosted instance without email or SAML reports. @internal */
export function statusHandlers(ctx: HandlerContext): HttpHandler[] {
  return [
    route(ctx, 'get', '/api/status', () => ({
      date: ctx.store.clock.iso(),
      message: 'Ok',
      emailConfigured: false,
      inviteOnlySignup: false,
      redisConfigured: true,
      secretScanningConfigured: false,
      auditLogStorageDisabled: false,
    })),
  ];
}
