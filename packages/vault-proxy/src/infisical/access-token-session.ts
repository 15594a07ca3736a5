import { VaultProxyError } from '../errors.js';
import type { SecretValue } from '../secret-value.js';
import type { LoginResult, UniversalAuthCredentials } from './api-types.js';

/**
 * The access token of the identity a client acts as: logs in on first use,
 * renews ahead of `expiresIn` (by the client's clock) and on demand after
 * the server calls the token expired. Concurrent callers share one login.
 * @internal
 */
export class AccessTokenSession {
  readonly #login: (credentials: UniversalAuthCredentials) => Promise<LoginResult>;
  readonly #now: () => number;
  readonly #marginMs: number;
  #credentials: UniversalAuthCredentials | undefined;
  #token: SecretValue | undefined;
  #expiresAt = Number.POSITIVE_INFINITY;
  #pending: Promise<SecretValue> | undefined;
  #last: Omit<LoginResult, 'accessToken'> | undefined;

  constructor(login: (credentials: UniversalAuthCredentials) => Promise<LoginResult>, now: () => number, marginMs: number) {
    this.#login = login;
    this.#now = now;
    this.#marginMs = marginMs;
  }

  /** Act as `credentials` from now on (drops any token of a previous identity). */
  use(credentials: UniversalAuthCredentials): void {
    this.#credentials = credentials;
    this.invalidate();
  }

  /** Lifetime facts of the latest login (no token). */
  get lastLogin(): Omit<LoginResult, 'accessToken'> | undefined {
    return this.#last;
  }

  /** Whether credentials were set. */
  get hasCredentials(): boolean {
    return this.#credentials !== undefined;
  }

  /** Forget the token so the next call logs in again. */
  invalidate(): void {
    this.#token = undefined;
    this.#expiresAt = Number.POSITIVE_INFINITY;
  }

  /** A token valid for at least the renewal margin (or half its lifetime, if shorter). */
  async token(): Promise<SecretValue> {
    if (this.#token && this.#now() < this.#expiresAt) return this.#token;
    this.#pending ??= this.#renew().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #renew(): Promise<SecretValue> {
    const credentials = this.#credentials;
    if (!credentials) {
      throw new VaultProxyError('CONFIG_INVALID', 'The Infisical client has no identity to act as. Call authenticate() first.', {
        details: { field: 'credentials' },
      });
    }
    const obtainedAt = this.#now();
    const result = await this.#login(credentials);
    const lifetimeMs = result.expiresIn * 1000;
    this.#token = result.accessToken;
    this.#last = { expiresIn: result.expiresIn, accessTokenMaxTTL: result.accessTokenMaxTTL, tokenType: result.tokenType };
    this.#expiresAt = lifetimeMs > 0 ? obtainedAt + lifetimeMs - Math.min(this.#marginMs, lifetimeMs / 2) : Number.POSITIVE_INFINITY;
    return result.accessToken;
  }
}
