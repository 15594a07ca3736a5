import { forbidden, notFound, permissionDenied } from '../errors.js';
import { findFolder } from './folders.js';
import { assertCan, can, projectRulesOf } from './permissions.js';
import { resolveProject } from './projects.js';
import { expandReferences } from './secret-references.js';
import { folderOrThrow, normalised, type SecretLocation, type SecretView } from './secrets.js';
import { behaviourOf } from './server-profile.js';
import type { SecretRecord, VaultStore } from './store.js';
import { latest, secretKeyOf } from './store.js';

/** What a read asks for besides the location. @internal */
export interface ReadOptions {
  viewSecretValue: boolean;
  expandSecretReferences: boolean;
}

/**
 * GET /api/v3/secrets/raw/{name}, in the server's order: membership → folder (404) →
 * describeSecret (403 even when the secret does not exist) → secret (404) → reference
 * expansion (403 for an unreadable reference) → readValue (403 ForbiddenReadSecretError).
 * So an out-of-scope read answers 403 only where the folder exists.
 * @internal
 */
// backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts: getSecretByName
export function getSecret(
  store: VaultStore,
  actorId: string,
  input: SecretLocation & ReadOptions & { secretName: string; type: string; version?: number | undefined },
): SecretView {
  const loc = normalised(input);
  resolveProject(store, actorId, loc);
  const rules = projectRulesOf(store, actorId);
  folderOrThrow(store, loc, 'GetSecretByName');
  const secret = store.secrets.get(secretKeyOf(loc.environment, loc.secretPath, input.secretName));
  const fields = { environment: loc.environment, secretPath: loc.secretPath, secretName: input.secretName };
  assertCan(rules, 'describeSecret', 'secrets', fields);
  if (!secret || secret.type !== input.type) throw notFound(`Secret with name '${input.secretName}' not found`);
  const version = input.version === undefined ? latest(secret) : secret.versions.find((v) => v.version === input.version);
  if (!version) throw notFound(`Secret with name '${input.secretName}' not found`);
  const at = { environment: loc.environment, secretPath: loc.secretPath, secretKey: input.secretName };
  const value = input.expandSecretReferences && input.viewSecretValue ? expandReferences(store, rules, at, version.value) : version.value;
  const mayRead = can(rules, 'readValue', 'secrets', fields);
  if (input.viewSecretValue && !mayRead) {
    throw forbidden(
      `You do not have permission to view secret value on secret with name '${input.secretName}'`,
      'ForbiddenReadSecretError',
    );
  }
  return { secret, version, value, valueHidden: !input.viewSecretValue || !mayRead };
}

function secretsUnder(store: VaultStore, environment: string, path: string, recursive: boolean): SecretRecord[] {
  const prefix = path === '/' ? '/' : `${path}/`;
  return [...store.secrets.values()].filter(
    (s) => s.envSlug === environment && s.type === 'shared' && (s.path === path || (recursive && s.path.startsWith(prefix))),
  );
}

/**
 * GET /api/v3/secrets/raw. The only refusal is type-level (the caller holds no describeSecret
 * rule at all); a missing folder is 404 SecretPathNotFound (current) or an empty list (legacy);
 * secrets outside the caller's scope are left out of the 200, never refused. With
 * viewSecretValue a describable secret of the folder itself that the caller may not read is a
 * 403 for the whole list; one from a subfolder is left out. Expansion failures are one 403.
 * @internal
 */
// backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts: getSecrets
export function listSecrets(
  store: VaultStore,
  actorId: string,
  input: SecretLocation & ReadOptions & { recursive: boolean },
): SecretView[] {
  const loc = normalised(input);
  resolveProject(store, actorId, loc);
  const rules = projectRulesOf(store, actorId);
  // A subject type without fields: passes when any describeSecret (or legacy read) rule exists.
  if (!can(rules, 'describeSecret', 'secrets')) throw permissionDenied('describeSecret', 'secrets', []);
  if (!findFolder(store, loc.environment, loc.secretPath)) {
    if (behaviourOf(store.server.profile).missingFolderListing === 'empty') return [];
    throw notFound(
      `Folder with path '${loc.secretPath}' in environment '${loc.environment}' was not found. Please ensure the environment slug and secret path is correct.`,
      'SecretPathNotFound',
    );
  }
  const views: SecretView[] = [];
  for (const secret of secretsUnder(store, loc.environment, loc.secretPath, input.recursive)) {
    const version = latest(secret);
    const fields = { environment: secret.envSlug, secretPath: secret.path, secretName: version.key };
    if (!can(rules, 'describeSecret', 'secrets', fields)) continue;
    const mayRead = can(rules, 'readValue', 'secrets', fields);
    if (input.viewSecretValue && !mayRead) {
      if (secret.path !== loc.secretPath) continue;
      assertCan(rules, 'readValue', 'secrets', fields);
    }
    views.push({ secret, version, value: version.value, valueHidden: !input.viewSecretValue || !mayRead });
  }
  if (input.expandSecretReferences) expandAll(store, rules, views);
  return views.sort((a, b) => a.secret.path.localeCompare(b.secret.path) || a.version.key.localeCompare(b.version.key));
}

function expandAll(store: VaultStore, rules: ReturnType<typeof projectRulesOf>, views: SecretView[]): void {
  const errors: string[] = [];
  for (const view of views) {
    // A hidden value is masked before expansion, so there is nothing to expand.
    if (view.valueHidden) continue;
    const at = { environment: view.secret.envSlug, secretPath: view.secret.path, secretKey: view.version.key };
    try {
      view.value = expandReferences(store, rules, at, view.version.value);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (errors.length > 0) throw forbidden('Failed to expand one or more secret references', 'ForbiddenError', errors);
}
