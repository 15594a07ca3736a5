import { SecretValue } from '../secret-value.js';
import { utcTimestamp } from '../utc-timestamp.js';
import type { ProxyLogger } from './logger.js';
import { type VaultCallContext, vaultCall } from './vault-call.js';

/** The universal-auth login the proxy watches for (and makes itself to renew). */
export const LOGIN_PATH = '/api/v1/auth/universal-auth/login';

/** At most this many identities (and client-held tokens per identity: one per login of theirs) are remembered; the oldest go first. */
const MAX_IDENTITIES = 64;
const MAX_TOKENS_PER_IDENTITY = 32;
/** A token is renewed this long before it expires (a quarter of its lifetime for short ones). */
const RENEW_MARGIN_MS = 30_000;

/** One identity that logged in through the proxy. Its secret never leaves memory. */
interface KnownIdentity {
  readonly clientId: string;
  secret: SecretValue;
  /** The newest access token; what requests from this identity are sent with. */
  token: string;
  /** When `token` expires (`Date.now()` ms; `Infinity` for none). */
  expiresAt: number;
  /** When to renew ahead of expiry. */
  renewAt: number;
  /**
   * The tokens this identity's clients hold (from their own logins), so a
   * client still holding one is recognised. Tokens from the proxy's renewals
   * never reach a client and are not kept here: the set does not grow with
   * the length of the session.
   */
  readonly tokens: Set<string>;
  renewing: Promise<string | undefined> | undefined;
}

/** What `status` shows of renewal: counts only, never an id or a token. */
export interface TokenRenewalStats {
  readonly enabled: boolean;
  /** Identities whose credentials the proxy holds in memory. */
  readonly identities: number;
  /** Logins the proxy made on their behalf. */
  readonly renewals: number;
  /** When the last renewal happened (ISO 8601), if any. */
  readonly lastRenewalAt: string | undefined;
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps agents' vault sessions alive past their access token's lifetime.
 * `@infisical/mcp` logs in once and never again; with a one-hour TTL every
 * read after the first hour would be refused. The proxy sees that login go
 * through, keeps the identity's credentials in memory only (`SecretValue`,
 * forgotten on stop), and when a request carries a token of that identity
 * that has expired (or the vault refuses it), logs in again and sends the
 * request with the fresh token. A token is only ever swapped for a newer
 * token of the same identity. See docs/architecture.md §Token renewal.
 * @internal
 */
export class TokenKeeper {
  readonly #ctx: VaultCallContext;
  readonly #log: ProxyLogger;
  readonly #timeoutMs: number;
  readonly #byToken = new Map<string, KnownIdentity>();
  readonly #byClientId = new Map<string, KnownIdentity>();
  #renewals = 0;
  #lastRenewalAt: string | undefined;

  constructor(ctx: VaultCallContext, log: ProxyLogger, timeoutMs: number) {
    this.#ctx = ctx;
    this.#log = log;
    this.#timeoutMs = timeoutMs;
  }

  /** Counts for `status` (nothing identifying). */
  stats(): TokenRenewalStats {
    return { enabled: true, identities: this.#byClientId.size, renewals: this.#renewals, lastRenewalAt: this.#lastRenewalAt };
  }

  /** A login went through the proxy: remember who logged in and the token they got. */
  recordLogin(requestBody: Buffer, status: number, responseBody: Buffer): void {
    if (status !== 200) return;
    const request = parseJson(requestBody);
    const answer = parseJson(responseBody);
    const clientId = request?.clientId;
    const clientSecret = request?.clientSecret;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || clientId === '' || clientSecret === '') return;
    const token = answer?.accessToken;
    if (typeof token !== 'string' || token === '') return;
    let identity = this.#byClientId.get(clientId);
    if (!identity) {
      if (this.#byClientId.size >= MAX_IDENTITIES) this.#forgetOldest();
      identity = {
        clientId,
        secret: new SecretValue(clientSecret),
        token,
        expiresAt: 0,
        renewAt: 0,
        tokens: new Set(),
        renewing: undefined,
      };
      this.#byClientId.set(clientId, identity);
    }
    // A new secret (after a rotation) replaces the old one.
    identity.secret = new SecretValue(clientSecret);
    this.#adopt(identity, token, answer?.expiresIn);
    this.#handedOut(identity, token);
  }

  /** Whether any client-held token is known (until a login passes through, no request needs a look at its token). */
  get knowsTokens(): boolean {
    return this.#byToken.size > 0;
  }

  /** The identity a presented bearer token belongs to, if it logged in through this proxy. */
  identityOf(token: string): KnownIdentity | undefined {
    return this.#byToken.get(token);
  }

  /** The token to send now for `identity`: its newest, renewed first when it is about to expire. */
  async currentToken(identity: KnownIdentity): Promise<string> {
    if (Date.now() < identity.renewAt) return identity.token;
    return (await this.#renew(identity)) ?? identity.token;
  }

  /** The vault refused `usedToken` (expired, revoked): renew unless that already happened. Resolves the token to retry with, if any. */
  async renewAfterRefusal(identity: KnownIdentity, usedToken: string): Promise<string | undefined> {
    if (identity.token !== usedToken) return identity.token;
    return this.#renew(identity);
  }

  /** Drop every credential and token (on stop). */
  forget(): void {
    this.#byToken.clear();
    this.#byClientId.clear();
  }

  #renew(identity: KnownIdentity): Promise<string | undefined> {
    // One login per identity at a time, however many requests are waiting for it.
    identity.renewing ??= this.#login(identity).finally(() => {
      identity.renewing = undefined;
    });
    return identity.renewing;
  }

  async #login(identity: KnownIdentity): Promise<string | undefined> {
    try {
      const body = Buffer.from(JSON.stringify({ clientId: identity.clientId, clientSecret: identity.secret.reveal() }));
      const answer = await vaultCall(
        this.#ctx,
        { method: 'POST', path: LOGIN_PATH, headers: ['Content-Type', 'application/json', 'Accept', 'application/json'], body },
        this.#timeoutMs,
      );
      const parsed = answer.status === 200 ? parseJson(answer.body) : undefined;
      const token = parsed?.accessToken;
      if (typeof token !== 'string' || token === '') {
        if (this.#log.warnEnabled) this.#log.warn('access token renewal refused by the vault', { status: answer.status });
        return undefined;
      }
      this.#adopt(identity, token, parsed?.expiresIn);
      this.#renewals += 1;
      this.#lastRenewalAt = utcTimestamp();
      if (this.#log.infoEnabled) this.#log.info('access token renewed', { renewals: this.#renewals });
      return token;
    } catch {
      if (this.#log.warnEnabled) this.#log.warn('access token renewal failed: the vault could not be reached');
      return undefined;
    }
  }

  #adopt(identity: KnownIdentity, token: string, expiresIn: unknown): void {
    const ttlMs = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : Number.POSITIVE_INFINITY;
    const now = Date.now();
    identity.token = token;
    identity.expiresAt = now + ttlMs;
    identity.renewAt = now + ttlMs - Math.min(RENEW_MARGIN_MS, ttlMs / 4);
  }

  #handedOut(identity: KnownIdentity, token: string): void {
    identity.tokens.add(token);
    this.#byToken.set(token, identity);
    if (identity.tokens.size > MAX_TOKENS_PER_IDENTITY) {
      const oldest = identity.tokens.values().next().value as string;
      identity.tokens.delete(oldest);
      this.#byToken.delete(oldest);
    }
  }

  #forgetOldest(): void {
    const [clientId, identity] = this.#byClientId.entries().next().value as [string, KnownIdentity];
    this.#byClientId.delete(clientId);
    for (const token of identity.tokens) this.#byToken.delete(token);
  }
}

export type { KnownIdentity };
