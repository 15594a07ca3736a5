import { randomBytes } from 'node:crypto';

/** What the edge needs to know: the Access application's host and its one valid service token. @internal */
export interface CloudflareEdgeConfig {
  readonly hostname: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The Access team domain. Default `raxx.cloudflareaccess.com`. */
  readonly teamDomain?: string;
}

/** Cloudflare in front of the vault: Bot Fight Mode, then Access, then the origin's response decorated. @internal */
export interface CloudflareEdge {
  /** A Cloudflare answer (challenge, login redirect, Access 403) when the request must not reach Infisical. */
  admit(request: Request): Response | undefined;
  /** The origin's response as Cloudflare relays it: `server`, `cf-ray` and a fresh `CF_Authorization` cookie. */
  relay(response: Response): Response;
}

// Default agents of HTTP libraries; Bot Fight Mode challenges them (and requests without a User-Agent).
const DEFAULT_AGENT = /^(axios|curl|python-requests|node-fetch|undici|node|go-http-client|wget|okhttp)(?:[/\s]|$)/i;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const rayId = () => `${hex(8)}-SJC`;

function page(status: number, title: string, body: string, extra: Record<string, string> = {}): Response {
  const html = `<!DOCTYPE html>\n<html lang="en-US"><head><title>${title}</title><meta charset="UTF-8" /></head><body><div id="cf-wrapper">${body}</div></body></html>\n`;
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare', 'cf-ray': rayId(), 'cache-control': 'no-store', ...extra },
  });
}

function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** @internal */
export function createCloudflareEdge(config: CloudflareEdgeConfig): CloudflareEdge {
  const teamDomain = config.teamDomain ?? 'raxx.cloudflareaccess.com';
  const audTag = hex(32);
  // Cookies this edge issued; like real Access, a valid CF_Authorization cookie admits the request by itself.
  const issuedCookies = new Set<string>();

  return {
    admit(request) {
      const agent = request.headers.get('user-agent');
      if (!agent || DEFAULT_AGENT.test(agent.trim())) {
        return page(
          403,
          'Attention Required! | Cloudflare',
          '<h1>Sorry, you have been blocked</h1><h2>You are unable to access vault.raxx.app</h2><p>This website is using a security service to protect itself from online attacks.</p>',
        );
      }
      const clientId = request.headers.get('cf-access-client-id');
      if (clientId === null) {
        const cookie = cookieOf(request, 'CF_Authorization');
        if (cookie !== undefined && issuedCookies.has(cookie)) return undefined;
        const url = new URL(request.url);
        const location = `https://${teamDomain}/cdn-cgi/access/login/${config.hostname}?kid=${audTag}&redirect_url=${encodeURIComponent(url.pathname + url.search)}`;
        return new Response(null, { status: 302, headers: { location, server: 'cloudflare', 'cf-ray': rayId(), 'content-length': '0' } });
      }
      if (clientId !== config.clientId || request.headers.get('cf-access-client-secret') !== config.clientSecret) {
        return page(
          403,
          'Forbidden',
          "<h1>Forbidden</h1><p>You don't have permission to view this application.</p><p>Cloudflare Access</p>",
        );
      }
      return undefined;
    },
    relay(response) {
      if (response.type === 'error') return response;
      const headers = new Headers(response.headers);
      headers.set('server', 'cloudflare');
      headers.set('cf-ray', rayId());
      const cookie = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: audTag.slice(0, 16) })).toString('base64url')}.${hex(48)}.${hex(32)}`;
      issuedCookies.add(cookie);
      headers.append('set-cookie', `CF_Authorization=${cookie}; Path=/; Secure; HttpOnly; SameSite=None`);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    },
  };
}
