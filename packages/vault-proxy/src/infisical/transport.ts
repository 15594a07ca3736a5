import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { vaultAccessHeaders } from '../cloudflare/access-headers.js';
import { createUpstreamDialer, type UpstreamDialer } from '../connection/upstream-dialer.js';
import type { ResolvedInfisicalClientOptions } from './client-options.js';

/** An https agent whose connections come from the shared dialer (connect-to, SNI, extra CA, certificate check). */
class DialerAgent extends https.Agent {
  readonly #dialer: UpstreamDialer;

  constructor(dialer: UpstreamDialer) {
    super({ keepAlive: true });
    this.#dialer = dialer;
  }

  // Node's Agent uses the returned socket (and ignores the callback) when one is returned.
  override createConnection(): Duplex {
    return this.#dialer.connect();
  }
}

/** The fixed headers every request carries: Cloudflare Access + User-Agent (direct) or just User-Agent (through a local proxy). */
function fixedHeaders(options: ResolvedInfisicalClientOptions): Record<string, string> {
  const token = options.connection?.cloudflare;
  if (!token) return { 'User-Agent': options.userAgent };
  return vaultAccessHeaders({ cfAccessClientId: token.clientId, cfAccessClientSecret: token.clientSecret, userAgent: options.userAgent });
}

/** How the client sends: one request at a time, and closing the pool. @internal */
export interface Transport {
  request(config: AxiosRequestConfig): Promise<AxiosResponse>;
  close(): void;
}

/**
 * The axios instance behind the client: no redirects (a Cloudflare login
 * redirect must surface as 302), every status resolved (the client maps
 * them), and the fixed headers. axios is loaded on the first call, not at
 * import. @internal
 */
export function createTransport(options: ResolvedInfisicalClientOptions): Transport {
  const dialer = options.connection ? createUpstreamDialer(options.connection) : undefined;
  const httpsAgent = dialer?.secure ? new DialerAgent(dialer) : undefined;
  // A loopback http: vault (tests, the demo) is dialled through the same dialer's address.
  const httpTarget = dialer && !dialer.secure ? `http://${dialer.dialAddress}` : undefined;
  let instance: Promise<AxiosInstance> | undefined;
  const load = (): Promise<AxiosInstance> =>
    (instance ??= import('axios').then(({ default: axios }) =>
      axios.create({
        baseURL: httpTarget ?? options.baseUrl.origin,
        timeout: options.timeoutMs,
        maxRedirects: 0,
        validateStatus: () => true,
        headers: {
          Accept: 'application/json',
          ...fixedHeaders(options),
          ...(httpTarget && options.connection ? { Host: options.connection.upstreamHostHeader } : {}),
        },
        proxy: false,
        ...(httpsAgent ? { httpsAgent } : {}),
      }),
    ));
  return {
    request: async (config) => (await load()).request(config),
    close: () => httpsAgent?.destroy(),
  };
}
