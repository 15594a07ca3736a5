import { isVaultProxyError } from '../errors.js';
import type {
  AttachUniversalAuthRequest,
  CreateIdentityPrivilegeRequest,
  CreateIdentityRequest,
  Folder,
  Identity,
  IdentityPrivilege,
  IdentityUniversalAuth,
  OrgIdentityMembership,
  ProjectIdentityMembership,
  Secret,
  SecretLocation,
  SecretRef,
  UniversalAuthCredentials,
  WriteSecretRequest,
} from './api-types.js';
import type { InfisicalClientOptions } from './client-options.js';
import { InfisicalEndpoints, type PrivilegeSlugQuery } from './infisical-endpoints.js';
import { retryDelay } from './retry-policy.js';
import { type AbsentVariant, credentialsRefusedOn, orAbsent, routeMissingOn, transientOn, unlessPresent } from './vault-answers.js';

/**
 * Answers besides 404 that mean "absent", per lookup (see `absentOn`): the
 * 400s older self-hosted builds give where current ones give 404, and the
 * 400 every build gives for a privilege of an identity that is no project
 * member (it then has no privilege). A new variant goes here, and no caller changes.
 */
const ABSENT_VARIANTS = {
  // Older builds: GET /api/v1/auth/universal-auth/identities/{id} of an identity without it.
  universalAuth: [{ status: 400, message: /^The identity does not have universal auth/ }],
  // Older builds: GET /api/v2/workspace/{projectId}/identity-memberships/{id} of a non-member.
  projectMembership: [{ status: 400, message: /^Membership not found for identity/ }],
  // Every build: GET …/identity-project-additional-privilege/slug/{slug} for a non-member.
  privilegeBySlug: [{ status: 400, message: /^Actor doesn't have membership/ }],
  secret: [],
  // Current builds: listing a folder that does not exist is 404 SecretPathNotFound (older ones list it empty).
  secretList: [],
} as const satisfies Record<string, readonly AbsentVariant[]>;

/** How Infisical words "it exists already" when a create loses to an earlier one (always a 400), per endpoint. */
const ALREADY_PRESENT = {
  folder: /already exists/i,
  // "Secret already exists"; older builds say "Secret already exist".
  secret: /already exist/i,
  projectMembership: /already a member/i,
  privilege: /exists/i,
  universalAuth: /already configured/i,
} as const;

/**
 * A typed client of the Infisical endpoints the runbook uses. Talks to the
 * vault directly (Cloudflare Access headers and User-Agent from the header
 * policy) or through a local proxy. Failures are `VaultProxyError`s
 * (`INFISICAL_HTTP` with status, Infisical's `error`, `message`, `reqId`;
 * `INFISICAL_NETWORK`; `INFISICAL_RESPONSE_INVALID`) that never hold a secret.
 *
 * Besides one method per endpoint, the client owns what a refusal means:
 * the `find…` methods return `undefined` when the thing is absent, the
 * `…IfAbsent` creators return `undefined` when it exists already, and
 * {@link InfisicalClient.canLogIn} answers `false` for refused credentials,
 * so callers never read an HTTP status. Every other failure is thrown.
 */
export class InfisicalClient extends InfisicalEndpoints {
  /** Identities of the organisation named exactly `name` (Infisical allows duplicates); empty when there is none. */
  async findIdentitiesByName(orgId: string, name: string): Promise<OrgIdentityMembership[]> {
    return (await this.listOrgIdentities(orgId, name)).filter((m) => m.identity.name === name);
  }

  /** The identity's universal auth, or `undefined` when none is attached. */
  findUniversalAuth(identityId: string): Promise<IdentityUniversalAuth | undefined> {
    return orAbsent(this.getUniversalAuth(identityId), ABSENT_VARIANTS.universalAuth);
  }

  /** The identity's membership of the project, or `undefined` when it is not a member. */
  findProjectMembership(projectId: string, identityId: string): Promise<ProjectIdentityMembership | undefined> {
    return orAbsent(this.getProjectMembership(projectId, identityId), ABSENT_VARIANTS.projectMembership);
  }

  /** The identity's additional privilege `slug` (with its rules), or `undefined` when it has none of that slug. */
  findPrivilegeBySlug(query: PrivilegeSlugQuery): Promise<IdentityPrivilege | undefined> {
    return orAbsent(this.getIdentityPrivilegeBySlug(query), ABSENT_VARIANTS.privilegeBySlug);
  }

  /** The secret (its value in a `SecretValue`), or `undefined` when the key, or its folder, does not exist. */
  findSecret(ref: SecretRef): Promise<Secret | undefined> {
    return orAbsent(this.getSecret(ref), ABSENT_VARIANTS.secret);
  }

  /** Folder `name` directly under `path`, or `undefined` when it (or `path`) does not exist. */
  async findFolder(location: SecretLocation & { readonly path: string; readonly name: string }): Promise<Folder | undefined> {
    const { name, ...parent } = location;
    // Listing answers an empty list for a missing parent, so there is no refusal to read here.
    return (await this.listFolders(parent)).find((f) => f.name === name);
  }

  /** Whether the folder at `path` (e.g. `/MooseQuest/app`) exists; the root always does. Any project member may look. */
  async folderExists(location: SecretLocation & { readonly path: string }): Promise<boolean> {
    const segments = location.path.split('/').filter(Boolean);
    const name = segments.pop();
    if (name === undefined) return true;
    return (await this.findFolder({ ...location, path: `/${segments.join('/')}`, name })) !== undefined;
  }

  /**
   * The secrets in a folder (and below, when `recursive`) that the caller may
   * see, or `undefined` when the folder does not exist (current servers
   * answer 404; older ones list it empty, which reads as `[]`).
   */
  findSecretsIn(location: SecretLocation & { readonly secretPath: string; readonly recursive?: boolean }): Promise<Secret[] | undefined> {
    return orAbsent(this.listSecrets(location), ABSENT_VARIANTS.secretList);
  }

  /**
   * Whether the server has the v2 identity additional-privilege routes:
   * `false` when it answers Fastify's route-not-found (a build that predates
   * them); any answer of Infisical's own, a refusal included, means they exist.
   */
  async hasIdentityPrivilegeRoutes(projectId: string): Promise<boolean> {
    try {
      // A made-up identity: only whether the route answers matters, not what it answers.
      await this.listIdentityPrivileges({ identityId: '00000000-0000-4000-8000-000000000000', projectId });
      return true;
    } catch (error) {
      if (routeMissingOn(error)) return false;
      if (isVaultProxyError(error, 'INFISICAL_HTTP') && error.details.failureMode === undefined && Number(error.details.status) < 500)
        return true;
      throw error;
    }
  }

  /**
   * Create the identity (Infisical allows duplicate names, so a plain retry
   * could make two). After a transient failure, whose create may or may not
   * have happened, the name is looked up first: one identity of that name is
   * the one created (the caller checked there was none before); none means
   * the create is tried again, within the client's retries.
   */
  async createIdentityOnce(request: CreateIdentityRequest): Promise<Identity> {
    const { retries, delayMs, sleep } = this.retryPolicy;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.createIdentity(request);
      } catch (error) {
        if (attempt >= retries || !transientOn(error)) throw error;
        await sleep(retryDelay(attempt, delayMs));
        const found = await this.findIdentitiesByName(request.organizationId, request.name);
        if (found.length === 1 && found[0]) return found[0].identity;
        if (found.length > 1) throw error;
      }
    }
  }

  /** Attach universal auth, or `undefined` when the identity has it already (read it with {@link InfisicalClient.findUniversalAuth}). */
  attachUniversalAuthIfAbsent(identityId: string, request: AttachUniversalAuthRequest): Promise<IdentityUniversalAuth | undefined> {
    return unlessPresent(this.attachUniversalAuth(identityId, request), ALREADY_PRESENT.universalAuth);
  }

  /** Create folder `name` under `path`, or `undefined` when it exists already. */
  createFolderIfAbsent(request: SecretLocation & { readonly path: string; readonly name: string }): Promise<Folder | undefined> {
    return unlessPresent(this.createFolder(request), ALREADY_PRESENT.folder);
  }

  /** Create the secret, or `undefined` when the key exists already (write a new version with `updateSecret`). */
  createSecretIfAbsent(request: WriteSecretRequest): Promise<Secret | undefined> {
    return unlessPresent(this.createSecret(request), ALREADY_PRESENT.secret);
  }

  /** Add the identity to the project with `role`, or `undefined` when it is a member already. */
  createProjectMembershipIfAbsent(
    projectId: string,
    identityId: string,
    role = 'no-access',
  ): Promise<ProjectIdentityMembership | undefined> {
    return unlessPresent(this.createProjectMembership(projectId, identityId, role), ALREADY_PRESENT.projectMembership);
  }

  /** Create the additional privilege, or `undefined` when the identity has one of that slug already. */
  createIdentityPrivilegeIfAbsent(request: CreateIdentityPrivilegeRequest): Promise<IdentityPrivilege | undefined> {
    return unlessPresent(this.createIdentityPrivilege(request), ALREADY_PRESENT.privilege);
  }

  /**
   * Whether `credentials` log in: `false` when Infisical refuses them (a
   * revoked, expired or wrong client secret), without changing who this
   * client acts as. The token is dropped at once; any other failure is thrown.
   */
  async canLogIn(credentials: UniversalAuthCredentials): Promise<boolean> {
    try {
      await this.login(credentials);
      return true;
    } catch (error) {
      if (credentialsRefusedOn(error)) return false;
      throw error;
    }
  }
}

/** Create an {@link InfisicalClient}; options are resolved and validated now (throws `CONFIG_INVALID`). */
export function createInfisicalClient(options: InfisicalClientOptions = {}): InfisicalClient {
  return new InfisicalClient(options);
}
