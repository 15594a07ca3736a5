import https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { vaultAccessHeaders } from '../header-policy.js';
import { extraCaAgentOptions } from '../tls-trust.js';
import type { ResolvedInfisicalClientOptions } from './client-options.js';

/**
 * An https agent that verifies the vault's certificate against the default
 * roots plus an extra CA, and optionally dials `connectTo` instead of the
 * vault's host while SNI and the certificate check keep the vault's name
 * (like `curl --connect-to`, the same semantics as the proxy).
 */
class VaultAgent extends https.Agent {
  readonly #connectTo: ResolvedInfisicalClientOptions['connectTo'];

  constructor(options: ResolvedInfisicalClientOptions) {
    const hostname = options.baseUrl.hostname.replace(/^\[|\]$/g, '');
    super({
      keepAlive: true,
      minVersion: 'TLSv1.2',
      // SNI may not carry an IP literal (RFC 6066 §3).
      ...(isIP(hostname) === 0 ? { servername: hostname } : {}),
      ...extraCaAgentOptions(options.ca || undefined),
      // With connectTo the socket's host is the dialled address; verify against the vault's name instead.
      checkServerIdentity: (_dialled: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(hostname, cert),
    });
    this.#connectTo = options.connectTo;
  }

  // Node's Agent uses the returned socket (and ignores the callback) when one is returned.
  override createConnection(options: https.RequestOptions): Duplex {
    const dial = this.#connectTo ? { host: this.#connectTo.host, port: this.#connectTo.port } : {};
    return tls.connect({ ...(options as tls.ConnectionOptions), ...dial });
  }
}

/** The fixed headers every request carries: Cloudflare Access + User-Agent (direct) or just User-Agent (through a local proxy). */
function fixedHeaders(options: ResolvedInfisicalClientOptions): Record<string, string> {
  if (!options.cf) return { 'User-Agent': options.userAgent };
  return vaultAccessHeaders({
    cfAccessClientId: options.cf.clientId,
    cfAccessClientSecret: options.cf.clientSecret,
    userAgent: options.userAgent,
  });
}

/** How the client sends: one request at a time, and closing the pool. @internal */
export interface Transport {
  request(config: AxiosRequestConfig): Promise<AxiosResponse>;
  close(): void;
}

/**
 * The axios instance behind the client: no redirects (a Cloudflare login
 * redirect must surface as 302), every status resolved (the client maps
 * them), and the fixed headers from the header policy. axios is loaded on
 * the first call, not at import: the proxy's start path imports this
 * package too and would otherwise pay ~190 ms and ~20 MiB for it. @internal
 */
export function createTransport(options: ResolvedInfisicalClientOptions): Transport {
  const httpsAgent = options.viaLocalProxy ? undefined : new VaultAgent(options);
  let instance: Promise<AxiosInstance> | undefined;
  const load = (): Promise<AxiosInstance> =>
    (instance ??= import('axios').then(({ default: axios }) =>
      axios.create({
        baseURL: options.baseUrl.origin,
        timeout: options.timeoutMs,
        maxRedirects: 0,
        validateStatus: () => true,
        headers: { Accept: 'application/json', ...fixedHeaders(options) },
        proxy: false,
        ...(httpsAgent ? { httpsAgent } : {}),
      }),
    ));
  return {
    request: async (config) => (await load()).request(config),
    close: () => httpsAgent?.destroy(),
  };
}
