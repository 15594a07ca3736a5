import { SecretValue } from '../secret-value.js';
import type {
  AttachUniversalAuthRequest,
  ClientSecretData,
  CreateClientSecretRequest,
  CreateIdentityPrivilegeRequest,
  CreateIdentityRequest,
  Folder,
  Identity,
  IdentityPrivilege,
  IdentityUniversalAuth,
  IssuedClientSecret,
  LoginResult,
  OrgIdentityMembership,
  Project,
  ProjectIdentityMembership,
  Secret,
  SecretLocation,
  SecretRef,
  StatusResponse,
  UniversalAuthCredentials,
  WriteSecretRequest,
} from './api-types.js';
import { type InfisicalClientOptions, resolveInfisicalClientOptions } from './client-options.js';
import * as parse from './entity-parsers.js';
import { InfisicalHttp } from './infisical-http.js';
import { child, field, list, object } from './response-fields.js';

const e = encodeURIComponent;
const UA_PATH = '/api/v1/auth/universal-auth/identities';
const PRIVILEGE_PATH = '/api/v2/identity-project-additional-privilege';

/** Names one additional privilege of an identity: by its slug, in the project with slug `projectSlug`. */
export interface PrivilegeSlugQuery {
  readonly slug: string;
  readonly identityId: string;
  readonly projectSlug: string;
}

/**
 * One method per Infisical endpoint the runbook uses, each a single call:
 * any refusal is thrown as it came (`INFISICAL_HTTP` with status,
 * Infisical's `error`, `message`, `reqId`; `INFISICAL_NETWORK`;
 * `INFISICAL_RESPONSE_INVALID`), never holding a secret. Talks to the vault
 * directly (Cloudflare Access headers and User-Agent from the header policy)
 * or through a local proxy. Use it as `InfisicalClient`, which adds the
 * finders that read those refusals.
 */
export class InfisicalEndpoints {
  readonly #http: InfisicalHttp;

  /** Resolves and validates `options` now (throws `CONFIG_INVALID`). */
  constructor(options: InfisicalClientOptions = {}) {
    this.#http = new InfisicalHttp(resolveInfisicalClientOptions(options));
  }

  /** The origin requests go to. */
  get baseUrl(): string {
    return this.#http.options.baseUrl.origin;
  }

  /** How often, and with which waits, a failed idempotent call is tried again (for compound calls of the client). */
  protected get retryPolicy(): { readonly retries: number; readonly delayMs: number; readonly sleep: (ms: number) => Promise<void> } {
    const { retries, retryDelayMs, sleep } = this.#http.options;
    return { retries, delayMs: retryDelayMs, sleep };
  }

  /** `GET /api/status` (no auth). */
  async status(): Promise<StatusResponse> {
    const { data, site } = await this.#http.call({ method: 'GET', path: '/api/status', auth: false, idempotent: true });
    const body = object(data, site);
    return { date: String(body.date ?? ''), message: field(body, 'message', 'string', site) };
  }

  /** Log in as `credentials` and act as that identity from now on (the token is renewed as needed). */
  async authenticate(credentials: UniversalAuthCredentials): Promise<Omit<LoginResult, 'accessToken'>> {
    this.#http.session.use(credentials);
    await this.#http.session.token();
    const last = this.#http.session.lastLogin;
    return last ?? { expiresIn: 0, accessTokenMaxTTL: 0, tokenType: 'Bearer' };
  }

  /** `POST /api/v1/auth/universal-auth/login` as `credentials`, without changing who this client acts as (a login probe). */
  login(credentials: UniversalAuthCredentials): Promise<LoginResult> {
    return this.#http.login(credentials);
  }

  /** `GET /api/v1/workspace/{projectId}`: the project, with its `orgId`. */
  async getProject(projectId: string): Promise<Project> {
    const { data, site } = await this.#get(`/api/v1/workspace/${e(projectId)}`);
    return parse.parseProject(child(data, 'workspace', site), site);
  }

  /** `POST /api/v1/identities`. Infisical does not enforce unique names: look up first. */
  async createIdentity(request: CreateIdentityRequest): Promise<Identity> {
    const body = { name: request.name, organizationId: request.organizationId, role: request.role ?? 'no-access' };
    const { data, site } = await this.#post('/api/v1/identities', () => body);
    return parse.parseIdentity(child(data, 'identity', site), site);
  }

  /** `GET /api/v1/identities/{identityId}`: the identity's organisation membership. */
  async getIdentity(identityId: string): Promise<OrgIdentityMembership> {
    const { data, site } = await this.#get(`/api/v1/identities/${e(identityId)}`);
    const raw = child(data, 'identity', site);
    return parse.parseOrgMembership({ ...raw, id: raw.id ?? raw.identityId }, site);
  }

  /** `GET /api/v2/organizations/{orgId}/identity-memberships?search=`: memberships whose identity name contains `search`. */
  async listOrgIdentities(orgId: string, search?: string): Promise<OrgIdentityMembership[]> {
    const { data, site } = await this.#get(`/api/v2/organizations/${e(orgId)}/identity-memberships`, { search, limit: 20_000 });
    return list(data, 'identityMemberships', site).map((m) => parse.parseOrgMembership(m, site));
  }

  /** `POST /api/v1/auth/universal-auth/identities/{identityId}`: attach universal auth. */
  async attachUniversalAuth(identityId: string, request: AttachUniversalAuthRequest): Promise<IdentityUniversalAuth> {
    const { data, site } = await this.#create(`${UA_PATH}/${e(identityId)}`, () => request);
    return parse.parseUniversalAuth(child(data, 'identityUniversalAuth', site), site);
  }

  /** `GET /api/v1/auth/universal-auth/identities/{identityId}` (404 when not attached). */
  async getUniversalAuth(identityId: string): Promise<IdentityUniversalAuth> {
    const { data, site } = await this.#get(`${UA_PATH}/${e(identityId)}`);
    return parse.parseUniversalAuth(child(data, 'identityUniversalAuth', site), site);
  }

  /** `POST …/client-secrets`: issue a client secret. The secret is returned once, held in a `SecretValue`. Never retried. */
  async createClientSecret(identityId: string, request: CreateClientSecretRequest = {}): Promise<IssuedClientSecret> {
    const { data, site } = await this.#post(`${UA_PATH}/${e(identityId)}/client-secrets`, () => request);
    const body = object(data, site);
    const secret = new SecretValue(field(body, 'clientSecret', 'string', site));
    return { clientSecret: secret, clientSecretData: parse.parseClientSecretData(child(body, 'clientSecretData', site), site) };
  }

  /** `GET …/client-secrets`: the identity's non-revoked client secrets (metadata only). */
  async listClientSecrets(identityId: string): Promise<ClientSecretData[]> {
    const { data, site } = await this.#get(`${UA_PATH}/${e(identityId)}/client-secrets`);
    return list(data, 'clientSecretData', site).map((c) => parse.parseClientSecretData(c, site));
  }

  /** `POST …/client-secrets/{id}/revoke` (soft revoke; repeating it is harmless, so it is retried). */
  async revokeClientSecret(identityId: string, clientSecretId: string): Promise<ClientSecretData> {
    const path = `${UA_PATH}/${e(identityId)}/client-secrets/${e(clientSecretId)}/revoke`;
    const { data, site } = await this.#http.call({ method: 'POST', path, auth: true, idempotent: true });
    return parse.parseClientSecretData(child(data, 'clientSecretData', site), site);
  }

  /** `GET /api/v1/folders`: direct children of `path` (empty when `path` does not exist). */
  async listFolders(location: SecretLocation & { readonly path: string }): Promise<Folder[]> {
    const { data, site } = await this.#get('/api/v1/folders', { ...location });
    return list(data, 'folders', site).map((f) => parse.parseFolder(f, site));
  }

  /** `POST /api/v1/folders`: create folder `name` under `path` (400 when it exists). */
  async createFolder(request: SecretLocation & { readonly path: string; readonly name: string }): Promise<Folder> {
    const { data, site } = await this.#create('/api/v1/folders', () => ({ ...request }));
    return parse.parseFolder(child(data, 'folder', site), site);
  }

  /** `GET /api/v3/secrets/raw/{key}` (404 when absent). */
  async getSecret(ref: SecretRef): Promise<Secret> {
    const { secretKey, ...query } = ref;
    const { data, site } = await this.#get(`/api/v3/secrets/raw/${e(secretKey)}`, { ...query, type: 'shared' });
    return parse.parseSecret(child(data, 'secret', site), site);
  }

  /** `GET /api/v3/secrets/raw`: secrets in `secretPath` (and below when `recursive`). */
  async listSecrets(location: SecretLocation & { readonly secretPath: string; readonly recursive?: boolean }): Promise<Secret[]> {
    const { data, site } = await this.#get('/api/v3/secrets/raw', { ...location, recursive: location.recursive ?? false });
    return list(data, 'secrets', site).map((s) => parse.parseSecret(s, site));
  }

  /** `POST /api/v3/secrets/raw/{key}`: create (400 "Secret already exists" when present). */
  async createSecret(request: WriteSecretRequest): Promise<Secret> {
    return this.#writeSecret('POST', request);
  }

  /** `PATCH /api/v3/secrets/raw/{key}`: a new version of an existing secret. */
  async updateSecret(request: WriteSecretRequest): Promise<Secret> {
    return this.#writeSecret('PATCH', request);
  }

  /** `DELETE /api/v3/secrets/raw/{key}`. */
  async deleteSecret(ref: SecretRef): Promise<void> {
    const { secretKey, ...rest } = ref;
    await this.#http.call({
      method: 'DELETE',
      path: `/api/v3/secrets/raw/${e(secretKey)}`,
      body: () => ({ ...rest, type: 'shared' }),
      auth: true,
      idempotent: false,
    });
  }

  /** `POST /api/v2/workspace/{projectId}/identity-memberships/{identityId}` (400 when already a member). */
  async createProjectMembership(projectId: string, identityId: string, role = 'no-access'): Promise<ProjectIdentityMembership> {
    const { data, site } = await this.#create(`/api/v2/workspace/${e(projectId)}/identity-memberships/${e(identityId)}`, () => ({ role }));
    return parse.parseProjectMembership(child(data, 'identityMembership', site), site);
  }

  /** `GET /api/v2/workspace/{projectId}/identity-memberships/{identityId}` (404 when not a member). */
  async getProjectMembership(projectId: string, identityId: string): Promise<ProjectIdentityMembership> {
    const { data, site } = await this.#get(`/api/v2/workspace/${e(projectId)}/identity-memberships/${e(identityId)}`);
    return parse.parseProjectMembership(child(data, 'identityMembership', site), site);
  }

  /** `POST /api/v2/identity-project-additional-privilege`. */
  async createIdentityPrivilege(request: CreateIdentityPrivilegeRequest): Promise<IdentityPrivilege> {
    const { data, site } = await this.#create(PRIVILEGE_PATH, () => request);
    return parse.parsePrivilege(child(data, 'privilege', site), site);
  }

  /** `GET /api/v2/identity-project-additional-privilege/slug/{slug}?identityId=&projectSlug=` (404 when absent). */
  async getIdentityPrivilegeBySlug(ref: PrivilegeSlugQuery): Promise<IdentityPrivilege> {
    const { slug, ...query } = ref;
    const { data, site } = await this.#get(`${PRIVILEGE_PATH}/slug/${e(slug)}`, { ...query });
    return parse.parsePrivilege(child(data, 'privilege', site), site);
  }

  /** `GET /api/v2/identity-project-additional-privilege/{id}`. */
  async getIdentityPrivilege(privilegeId: string): Promise<IdentityPrivilege> {
    const { data, site } = await this.#get(`${PRIVILEGE_PATH}/${e(privilegeId)}`);
    return parse.parsePrivilege(child(data, 'privilege', site), site);
  }

  /** `GET /api/v2/identity-project-additional-privilege?identityId=&projectId=` (without permissions). */
  async listIdentityPrivileges(query: { readonly identityId: string; readonly projectId: string }): Promise<IdentityPrivilege[]> {
    const { data, site } = await this.#get(PRIVILEGE_PATH, { ...query });
    return list(data, 'privileges', site).map((p) => parse.parsePrivilege(p, site));
  }

  /** Close kept-alive connections. */
  close(): void {
    this.#http.close();
  }

  #get(path: string, query?: Record<string, string | number | boolean | undefined>) {
    return this.#http.call({ method: 'GET', path, ...(query ? { query } : {}), auth: true, idempotent: true });
  }

  /** A POST that must not be repeated (a second identity or client secret would be created). */
  #post(path: string, body: () => unknown) {
    return this.#http.call({ method: 'POST', path, body, auth: true, idempotent: false });
  }

  /** A create whose repeat Infisical refuses as "already there" (400), so a transient failure is retried like a read. */
  #create(path: string, body: () => unknown) {
    return this.#http.call({ method: 'POST', path, body, auth: true, idempotent: true });
  }

  async #writeSecret(method: 'POST' | 'PATCH', request: WriteSecretRequest): Promise<Secret> {
    const { secretKey, secretValue, ...rest } = request;
    const { data, site } = await this.#http.call({
      method,
      path: `/api/v3/secrets/raw/${e(secretKey)}`,
      body: () => ({ ...rest, secretValue: secretValue.reveal(), type: 'shared', skipMultilineEncoding: false }),
      auth: true,
      // A repeated create is refused as existing (400); a repeated update adds an identical version.
      idempotent: true,
    });
    return parse.parseSecret(child(data, 'secret', site), site);
  }
}
