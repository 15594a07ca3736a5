import type { AxiosResponse } from 'axios';
import { SecretValue } from '../secret-value.js';
import { AccessTokenSession } from './access-token-session.js';
import type { LoginResult, UniversalAuthCredentials } from './api-types.js';
import type { ResolvedInfisicalClientOptions } from './client-options.js';
import { type CallSite, httpError, networkError, responseInvalid } from './http-error.js';
import { field, object } from './response-fields.js';
import { isRetryableNetworkCode, isRetryableStatus, retryAfterSeconds, retryDelay } from './retry-policy.js';
import { createTransport, type Transport } from './transport.js';

/** One API call. @internal */
export interface CallSpec {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path with every parameter already URI-encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Builds the JSON body at send time, so revealed secrets live only inside the request. */
  readonly body?: () => unknown;
  /** Whether the call needs the session's bearer token. */
  readonly auth: boolean;
  /** Whether the call may be repeated safely (retried on 429/5xx/dropped connection). */
  readonly idempotent: boolean;
}

/** A successful answer: its JSON body and where it came from (for response checks). @internal */
export interface CallResult {
  readonly data: unknown;
  readonly site: CallSite;
}

/** Whether an answer says the bearer token is missing, expired or malformed. */
function isTokenFailure(response: AxiosResponse): boolean {
  if (response.status === 401) return true;
  const error = typeof response.data === 'object' && response.data !== null ? (response.data as { error?: unknown }).error : undefined;
  return response.status === 403 && error === 'TokenError';
}

/**
 * The request engine under {@link InfisicalClient}: sends, retries idempotent
 * calls with back-off, renews the access token once on a token failure, and
 * maps every failure to a secret-free `VaultProxyError`. @internal
 */
export class InfisicalHttp {
  readonly options: ResolvedInfisicalClientOptions;
  readonly session: AccessTokenSession;
  readonly #transport: Transport;

  constructor(options: ResolvedInfisicalClientOptions) {
    this.options = options;
    this.#transport = createTransport(options);
    this.session = new AccessTokenSession((c) => this.login(c), options.now, options.tokenRenewMarginMs);
  }

  /** `POST /api/v1/auth/universal-auth/login` without touching the session. */
  async login(credentials: UniversalAuthCredentials): Promise<LoginResult> {
    const { data, site } = await this.call({
      method: 'POST',
      path: '/api/v1/auth/universal-auth/login',
      body: () => ({ clientId: credentials.clientId, clientSecret: credentials.clientSecret.reveal() }),
      auth: false,
      // A login creates nothing the caller has to clean up: safe to repeat.
      idempotent: true,
    });
    const body = object(data, site);
    const accessToken = field(body, 'accessToken', 'string', site);
    return {
      accessToken: new SecretValue(accessToken),
      expiresIn: field(body, 'expiresIn', 'number', site),
      accessTokenMaxTTL: typeof body.accessTokenMaxTTL === 'number' ? body.accessTokenMaxTTL : 0,
      tokenType: typeof body.tokenType === 'string' ? body.tokenType : 'Bearer',
    };
  }

  async call(spec: CallSpec): Promise<CallResult> {
    const site: CallSite = { method: spec.method, path: spec.path };
    let renewed = false;
    for (let attempt = 0; ; ) {
      const headers: Record<string, string> = {};
      if (spec.auth) headers.Authorization = `Bearer ${(await this.session.token()).reveal()}`;
      let response: AxiosResponse;
      try {
        response = await this.#transport.request({
          method: spec.method,
          url: spec.path,
          params: spec.query,
          data: spec.body?.(),
          headers,
        });
      } catch (raw) {
        // Through a local proxy (no direct connection) a failure to connect is the proxy's, not the vault's.
        const error = networkError(raw, site, this.options.connection ? undefined : this.options.baseUrl.origin);
        if (spec.idempotent && attempt < this.options.retries && isRetryableNetworkCode(String(error.details.code))) {
          await this.options.sleep(retryDelay(attempt++, this.options.retryDelayMs));
          continue;
        }
        throw error;
      }
      if (response.status >= 200 && response.status < 300) {
        if (response.data === undefined || typeof response.data === 'string') throw responseInvalid(site, 'JSON body');
        return { data: response.data, site };
      }
      if (spec.auth && !renewed && isTokenFailure(response)) {
        renewed = true;
        this.session.invalidate();
        continue;
      }
      if (spec.idempotent && attempt < this.options.retries && isRetryableStatus(response.status)) {
        const wait = response.status === 429 ? retryAfterSeconds(response.headers, response.data) : undefined;
        await this.options.sleep(retryDelay(attempt++, this.options.retryDelayMs, wait));
        continue;
      }
      throw httpError(response, site);
    }
  }

  /** Close kept-alive connections. */
  close(): void {
    this.#transport.close();
  }
}
