import type { RequestHead } from '../http1/request-head.js';
import { type KnownIdentity, LOGIN_PATH, type TokenKeeper } from './token-keeper.js';

/** A login body bigger than this is not a universal-auth login; it is forwarded without being looked at. */
const MAX_LOGIN_BODY = 16 * 1024;

/** The value of the (single) `Authorization` header, by lower-cased name. */
function authorization(head: RequestHead): { index: number; token: string } | undefined {
  const i = head.lowerNames.indexOf('authorization');
  if (i === -1 || head.lowerNames.indexOf('authorization', i + 1) !== -1) return undefined;
  const value = head.rawHeaders[2 * i + 1] as string;
  return /^Bearer [^\s]+$/i.test(value) ? { index: i, token: value.slice(7) } : undefined;
}

/**
 * What token renewal does for one request: note a universal-auth login
 * going through (its request body and answer), or, for a request that
 * carries the token of an identity that logged in through the proxy, send
 * the identity's newest token and, when the vault refuses it as expired,
 * renew and say the request may be retried.
 * @internal
 */
export class RequestIdentity {
  readonly #keeper: TokenKeeper;
  readonly #identity: KnownIdentity | undefined;
  readonly #login: Buffer[] | undefined;
  readonly #auth: { index: number; token: string } | undefined;
  /** The token the request goes out with. */
  #token: string | undefined;
  /** Whether the proxy logged in again for this request. */
  renewed = false;

  private constructor(
    keeper: TokenKeeper,
    identity: KnownIdentity | undefined,
    login: boolean,
    auth: { index: number; token: string } | undefined,
  ) {
    this.#keeper = keeper;
    this.#identity = identity;
    this.#login = login ? [] : undefined;
    this.#auth = auth;
    this.#token = auth?.token;
  }

  /** The renewal part of a request, or `undefined` when renewal has nothing to do with it. */
  static of(keeper: TokenKeeper | undefined, head: RequestHead, path: string): RequestIdentity | undefined {
    if (!keeper) return undefined;
    const login =
      head.method === 'POST' &&
      path.startsWith(LOGIN_PATH) &&
      (path.length === LOGIN_PATH.length || path.charCodeAt(LOGIN_PATH.length) === 63) /* '?' */ &&
      head.framing.kind === 'length' &&
      head.framing.length <= MAX_LOGIN_BODY;
    const auth = keeper.knowsTokens ? authorization(head) : undefined;
    const identity = auth ? keeper.identityOf(auth.token) : undefined;
    return login || identity ? new RequestIdentity(keeper, identity, login, auth) : undefined;
  }

  /** Whether this is a login whose answer should be kept (to learn the identity). */
  get isLogin(): boolean {
    return this.#login !== undefined;
  }

  /** Whether the request carries a token the proxy can renew (so a refusal is worth holding back). */
  get renewable(): boolean {
    return this.#identity !== undefined;
  }

  /** A piece of the request body (only a login's is kept, in memory, until its answer). */
  body(data: Buffer): void {
    this.#login?.push(Buffer.from(data));
  }

  /** Resolve the token to send (renewing first when it is about to expire). */
  async prepare(): Promise<void> {
    if (!this.#identity) return;
    const before = this.#identity.token;
    this.#token = await this.#keeper.currentToken(this.#identity);
    if (this.#token !== before) this.renewed = true;
  }

  /** The headers to send: the newest token of the identity in place of the one the client holds. */
  headers(raw: readonly string[]): string[] {
    const out = [...raw];
    if (!this.#identity || !this.#auth || this.#token === undefined || this.#token === this.#auth.token) return out;
    for (let i = 0; i < out.length; i += 2) {
      if ((out[i] as string).toLowerCase() === 'authorization') out[i + 1] = `Bearer ${this.#token}`;
    }
    return out;
  }

  /** The login's answer came back whole: remember the identity (a success only). */
  loginAnswered(status: number, body: Buffer): void {
    if (this.#login) this.#keeper.recordLogin(Buffer.concat(this.#login), status, body);
  }

  /**
   * The vault refused the token (401, or 403 `TokenError`): renew and say
   * whether the request can go again with a fresh token. Any other answer
   * is the vault's to give.
   */
  async retryAfter(status: number, body: Buffer): Promise<boolean> {
    if (!this.#identity || this.#token === undefined) return false;
    if (status !== 401 && !(status === 403 && /"error"\s*:\s*"TokenError"/.test(body.toString('utf8')))) return false;
    const fresh = await this.#keeper.renewAfterRefusal(this.#identity, this.#token);
    if (fresh === undefined || fresh === this.#token) return false;
    this.#token = fresh;
    this.renewed = true;
    return true;
  }
}
