import { type HttpHandler, HttpResponse } from 'msw';
import { type HandlerContext, route } from './route.js';

/** Anything else on the vault's origin: Fastify's own 404, still behind Cloudflare. @internal */
export function fallbackHandlers(ctx: HandlerContext): HttpHandler[] {
  return [
    route(ctx, 'all', '/*', ({ request, url }) =>
      HttpResponse.json(
        { message: `Route ${request.method}:${url.pathname} not found`, error: 'Not Found', statusCode: 404 },
        { status: 404 },
      ),
    ),
  ];
}
