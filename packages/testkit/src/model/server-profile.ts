import { badRequest, type InfisicalError, notFound } from '../errors.js';

/**
 * Which Infisical build the fake answers as. `current` is the newest server code; `legacy` is an
 * older self-hosted build that words some answers differently (see {@link ProfileBehaviour}).
 */
export type ServerProfile = 'current' | 'legacy';

/** Every profile, for test matrices. */
export const SERVER_PROFILES: readonly ServerProfile[] = ['current', 'legacy'];

/** Where the profiles differ, one entry per answer. @internal */
export interface ProfileBehaviour {
  /** GET universal auth of an identity that has none. */
  universalAuthAbsent(identityId: string): InfisicalError;
  /** GET the project membership of an identity that is not a member. */
  membershipAbsent(identityId: string, projectId: string): InfisicalError;
  /** The query key of the org identity-membership list that filters by name. */
  identityNameFilter: 'search' | 'textFilter';
  /** The actions a `secrets` permission rule may name. */
  secretActions: readonly string[];
  /** What listing the secrets of a folder that does not exist answers: a 404, or an empty list. */
  missingFolderListing: 'not-found' | 'empty';
  /** The 400 message of a create that meets an existing key. */
  secretExistsMessage: string;
}

const CURRENT: ProfileBehaviour = {
  // backend/src/services/identity-ua/identity-ua-service.ts: a missing universal auth is a NotFoundError
  universalAuthAbsent: (id) => notFound(`Failed to find universal auth for identity with ID ${id}`),
  // backend/src/services/identity-project/identity-project-service.ts: a missing membership is a NotFoundError
  membershipAbsent: (id, projectId) =>
    notFound(`Project membership for identity with ID '${id}' in project with ID '${projectId}' not found`),
  // backend/src/server/routes/v2/identity-org-router.ts: the list filters names with `search`
  identityNameFilter: 'search',
  // backend/src/ee/services/permission/project-permission.ts: `read` plus the split describeSecret/readValue
  secretActions: ['read', 'describeSecret', 'readValue', 'create', 'edit', 'delete'],
  // backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts: getSecrets throws SecretPathNotFound
  missingFolderListing: 'not-found',
  // backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts: createSecret's duplicate check
  secretExistsMessage: 'Secret already exists',
};

const LEGACY: ProfileBehaviour = {
  // backend/src/services/identity-ua/identity-ua-service.ts (older builds): BadRequestError for "not attached"
  universalAuthAbsent: () => badRequest('The identity does not have universal auth'),
  // backend/src/services/identity-project/identity-project-service.ts (older builds): BadRequestError for "no membership"
  membershipAbsent: (id) => badRequest(`Membership not found for identity ${id}`),
  // backend/src/server/routes/v2/identity-org-router.ts (older builds): the filter is `textFilter`, `search` is ignored
  identityNameFilter: 'textFilter',
  // backend/src/ee/services/permission/project-permission.ts (older builds): no describeSecret/readValue yet
  secretActions: ['read', 'create', 'edit', 'delete'],
  // Not in §12's table, from the same file's older version: getSecrets returned [] for a missing folder.
  // backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts (older builds): `if (!folder) return { secrets: [] }`
  missingFolderListing: 'empty',
  // Not in §12's table either: older builds word the duplicate without the final "s".
  // backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts (older builds): "Secret already exist"
  secretExistsMessage: 'Secret already exist',
};

/** The behaviour table of a profile. @internal */
export function behaviourOf(profile: ServerProfile): ProfileBehaviour {
  return profile === 'legacy' ? LEGACY : CURRENT;
}

/** Whether `value` names a profile. @internal */
export function isServerProfile(value: unknown): value is ServerProfile {
  return value === 'current' || value === 'legacy';
}
