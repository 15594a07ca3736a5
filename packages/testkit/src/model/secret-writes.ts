import { badRequest, notFound } from '../errors.js';
import { assertCan, projectRulesOf } from './permissions.js';
import { resolveProject } from './projects.js';
import { assertNoPolicyViolation } from './secret-detection.js';
import { folderOrThrow, insertSecret, normalised, type SecretLocation, type SecretView } from './secrets.js';
import { behaviourOf } from './server-profile.js';
import type { VaultStore } from './store.js';
import { latest, secretKeyOf } from './store.js';

const UPPERCASE_MESSAGE =
  'Secret name must be in UPPERCASE per project requirements. You can disable this requirement in project settings.';

// backend/src/services/secret/secret-service.ts: createSecretRaw / updateSecretRaw check enforceCapitalization first
function assertCapitalised(store: VaultStore, name: string | undefined): void {
  if (store.project.enforceCapitalization && name !== undefined && name !== name.toUpperCase()) throw badRequest(UPPERCASE_MESSAGE);
}

/**
 * POST /api/v3/secrets/raw/{name}, in the server's order: capitalisation (400) → membership →
 * folder (404 "CreateSecret") → personal (400) → existing key (400) → create permission (403) →
 * secret-detection policy (400). So a write probe answers 403 only where the folder exists and
 * the key is new.
 * @internal
 */
// backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts: createSecret
export function createSecret(
  store: VaultStore,
  actorId: string,
  input: SecretLocation & { secretName: string; value: string; comment: string; skipMultilineEncoding: boolean; type: string },
): SecretView {
  assertCapitalised(store, input.secretName);
  const loc = normalised(input);
  resolveProject(store, actorId, loc);
  folderOrThrow(store, loc, 'CreateSecret');
  if (input.type === 'personal') throw badRequest('Must be user to create personal secret');
  if (store.secrets.has(secretKeyOf(loc.environment, loc.secretPath, input.secretName))) {
    throw badRequest(behaviourOf(store.server.profile).secretExistsMessage);
  }
  const fields = { environment: loc.environment, secretPath: loc.secretPath, secretName: input.secretName };
  assertCan(projectRulesOf(store, actorId), 'create', 'secrets', fields);
  assertNoPolicyViolation(store, loc.secretPath, input.secretName, input.value);
  const secret = insertSecret(store, loc.environment, loc.secretPath, input.secretName, input);
  return { secret, version: latest(secret), valueHidden: false };
}

/**
 * PATCH /api/v3/secrets/raw/{name}: capitalisation of a new name (400) → membership → folder
 * (404 "UpdateSecret") → secret (404) → edit permission (403) → new-name collision (400) →
 * secret-detection policy on a new value (400); then a new version.
 * @internal
 */
// backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts: updateSecret
export function updateSecret(
  store: VaultStore,
  actorId: string,
  input: SecretLocation & {
    secretName: string;
    value?: string | undefined;
    comment?: string | undefined;
    skipMultilineEncoding?: boolean | undefined;
    newSecretName?: string | undefined;
  },
): SecretView {
  assertCapitalised(store, input.newSecretName);
  const loc = normalised(input);
  resolveProject(store, actorId, loc);
  folderOrThrow(store, loc, 'UpdateSecret');
  const key = secretKeyOf(loc.environment, loc.secretPath, input.secretName);
  const secret = store.secrets.get(key);
  if (!secret) throw notFound(`Secret with name ${input.secretName} not found`);
  const rules = projectRulesOf(store, actorId);
  assertCan(rules, 'edit', 'secrets', { environment: loc.environment, secretPath: loc.secretPath, secretName: input.secretName });
  const current = latest(secret);
  const rename = input.newSecretName !== undefined && input.newSecretName !== input.secretName;
  const newKey = rename ? secretKeyOf(loc.environment, loc.secretPath, input.newSecretName as string) : key;
  if (rename && store.secrets.has(newKey)) throw badRequest('Secret with the new name already exists');
  if (input.value) assertNoPolicyViolation(store, loc.secretPath, input.newSecretName ?? input.secretName, input.value);
  if (rename) {
    store.secrets.delete(key);
    store.secrets.set(newKey, secret);
  }
  secret.versions.push({
    version: current.version + 1,
    key: rename ? (input.newSecretName as string) : current.key,
    value: input.value ?? current.value,
    comment: input.comment ?? current.comment,
    skipMultilineEncoding: input.skipMultilineEncoding ?? current.skipMultilineEncoding,
    updatedAt: store.clock.iso(),
  });
  return { secret, version: latest(secret), valueHidden: false };
}

/** DELETE /api/v3/secrets/raw/{name}: membership → folder (404 "DeleteSecret") → secret (404) → delete permission (403). @internal */
// backend/src/services/secret-v2-bridge/secret-v2-bridge-service.ts: deleteSecret
export function deleteSecret(store: VaultStore, actorId: string, input: SecretLocation & { secretName: string }): SecretView {
  const loc = normalised(input);
  resolveProject(store, actorId, loc);
  folderOrThrow(store, loc, 'DeleteSecret');
  const key = secretKeyOf(loc.environment, loc.secretPath, input.secretName);
  const secret = store.secrets.get(key);
  if (!secret) throw notFound('Secret not found');
  assertCan(projectRulesOf(store, actorId), 'delete', 'secrets', {
    environment: loc.environment,
    secretPath: loc.secretPath,
    secretName: input.secretName,
  });
  store.secrets.delete(key);
  return { secret, version: latest(secret), valueHidden: false };
}
