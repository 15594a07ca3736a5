import { isCloudflareAccessLogin, isCloudflareRefusal } from '../cloudflare/cloudflare-answer.js';
import type { ResponseHead } from '../http1/response-head.js';
import type { PreparedAnswer } from './answer.js';
import type { ExchangeContext } from './exchange-context.js';

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** The few headers the Cloudflare recognisers look at, lower-cased. */
function headerBag(raw: readonly string[], lowerNames: readonly string[]): Record<string, string> {
  const bag: Record<string, string> = {};
  for (let i = 0; i < lowerNames.length; i++) {
    const name = lowerNames[i] as string;
    if (name === 'server' || name === 'cf-ray' || name === 'content-type' || name === 'location') bag[name] = raw[2 * i + 1] as string;
  }
  return bag;
}

/**
 * The proxy's own answer when the vault's head is Cloudflare's rather than
 * Infisical's: a redirect to the Access login (the service token was not
 * accepted) or an edge 403 (failure mode B in docs/runbook.md). Relaying
 * either would hand an MCP client HTML it reports as "not JSON"; the proxy's
 * JSON names the cause and the fix instead. `undefined`: relay as usual.
 * @internal
 */
export function cloudflareGate(ctx: ExchangeContext, head: ResponseHead): PreparedAnswer | undefined {
  // Only a redirect or a 403 can be Cloudflare's: every other answer passes without a look at its headers.
  if (head.status !== 403 && !REDIRECTS.has(head.status)) return undefined;
  const bag = headerBag(head.rawHeaders, head.lowerNames);
  if (REDIRECTS.has(head.status) && bag.location !== undefined && isCloudflareAccessLogin(bag.location, ctx.options.connection.upstream)) {
    if (ctx.log.warnEnabled) ctx.log.warn('Cloudflare Access login redirect refused', { hint: ctx.answers.cloudflareHint });
    return ctx.answers.loginRedirect;
  }
  if (isCloudflareRefusal(head.status, bag)) {
    if (ctx.log.warnEnabled) ctx.log.warn('Cloudflare Access denied the request', { hint: ctx.answers.cloudflareHint });
    return ctx.answers.cloudflareDenied;
  }
  return undefined;
}
