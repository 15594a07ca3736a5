import { badRequest, forbidden, notFound } from '../errors.js';
import { ensureFolder, findFolder } from './folders.js';
import { normalizePath } from './paths.js';
import { assertCan, can, projectRulesOf } from './permissions.js';
import { type ProjectRef, resolveProject } from './projects.js';
import { uuid } from './random.js';
import type { SecretRecord, SecretVersionRecord, VaultStore } from './store.js';
import { latest, secretKeyOf } from './store.js';

/** Where a secret operation points. `secretPath` is normalised here. @internal */
export interface SecretLocation extends ProjectRef {
  environment: string;
  secretPath: string;
}

/** A secret as the handlers shape it: record, chosen version, and whether the value is hidden. @internal */
export interface SecretView {
  secret: SecretRecord;
  version: SecretVersionRecord;
  valueHidden: boolean;
}

/** The mask Infisical puts in place of a value the caller may not (or asked not to) see. */
export const HIDDEN_SECRET_VALUE = '<hidden-by-infisical>';

function folderOrThrow(store: VaultStore, loc: SecretLocation, errorName: string) {
  const folder = findFolder(store, loc.environment, loc.secretPath);
  if (!folder) {
    throw notFound(`Folder with path '${loc.secretPath}' in environment with slug '${loc.environment}' not found`, errorName);
  }
  return folder;
}

// Folder-level gate first: a caller with no rule for this environment and path gets 403 whether or not the
// secret exists, so out-of-scope probing never learns what is there (the runbook expects 403 for "ANYTHING").
function gate(store: VaultStore, actorId: string, action: string, loc: SecretLocation, secretName?: string) {
  const project = resolveProject(store, actorId, loc);
  const rules = projectRulesOf(store, actorId);
  const fields = { environment: loc.environment, secretPath: loc.secretPath };
  assertCan(rules, action, 'secrets', fields);
  if (secretName !== undefined) assertCan(rules, action, 'secrets', { ...fields, secretName });
  return { project, rules };
}

const normalised = <T extends SecretLocation>(loc: T): T => ({ ...loc, secretPath: normalizePath(loc.secretPath) });

/** GET /api/v3/secrets/raw/{name}. @internal */
export function getSecret(
  store: VaultStore,
  actorId: string,
  input: SecretLocation & { secretName: string; type: string; version?: number | undefined; viewSecretValue: boolean },
): SecretView {
  const loc = normalised(input);
  const { rules } = gate(store, actorId, 'describeSecret', loc, input.secretName);
  folderOrThrow(store, loc, 'GetSecretByName');
  const secret = store.secrets.get(secretKeyOf(loc.environment, loc.secretPath, input.secretName));
  if (!secret || secret.type !== input.type) throw notFound(`Secret with name '${input.secretName}' not found`);
  const version = input.version === undefined ? latest(secret) : secret.versions.find((v) => v.version === input.version);
  if (!version) throw notFound(`Secret with name '${input.secretName}' not found`);
  const mayRead = can(rules, 'readValue', 'secrets', {
    environment: loc.environment,
    secretPath: loc.secretPath,
    secretName: input.secretName,
  });
  if (input.viewSecretValue && !mayRead) {
    throw forbidden(
      `You do not have permission to view secret value on secret with name '${input.secretName}'`,
      'ForbiddenReadSecretError',
    );
  }
  return { secret, version, valueHidden: !input.viewSecretValue || !mayRead };
}

/**
 * GET /api/v3/secrets/raw. 403 when the caller may describe nothing at that environment and path;
 * otherwise only the secrets it may describe (values hidden where it may not read them).
 * A missing folder lists nothing.
 * @internal
 */
export function listSecrets(
  store: VaultStore,
  actorId: string,
  input: SecretLocation & { recursive: boolean; viewSecretValue: boolean },
): SecretView[] {
  const loc = normalised(input);
  const { rules } = gate(store, actorId, 'describeSecret', loc);
  const prefix = loc.secretPath === '/' ? '/' : `${loc.secretPath}/`;
  const views: SecretView[] = [];
  for (const secret of store.secrets.values()) {
    if (secret.envSlug !== loc.environment || secret.type !== 'shared') continue;
    if (!(secret.path === loc.secretPath || (input.recursive && secret.path.startsWith(prefix)))) continue;
    const version = latest(secret);
    const fields = { environment: secret.envSlug, secretPath: secret.path, secretName: version.key };
    if (!can(rules, 'describeSecret', 'secrets', fields)) continue;
    const mayRead = can(rules, 'readValue', 'secrets', fields);
    views.push({ secret, version, valueHidden: !input.viewSecretValue || !mayRead });
  }
  return views.sort((a, b) => a.secret.path.localeCompare(b.secret.path) || a.version.key.localeCompare(b.version.key));
}

/** POST /api/v3/secrets/raw/{name}: folders must exist; an existing key is a 400. @internal */
export function createSecret(
  store: VaultStore,
  actorId: string,
  input: SecretLocation & { secretName: string; value: string; comment: string; skipMultilineEncoding: boolean; type: string },
): SecretView {
  const loc = normalised(input);
  gate(store, actorId, 'create', loc, input.secretName);
  if (input.type === 'personal') throw badRequest('Must be user to create personal secret');
  folderOrThrow(store, loc, 'CreateSecret');
  const key = secretKeyOf(loc.environment, loc.secretPath, input.secretName);
  if (store.secrets.has(key)) throw badRequest('Secret already exists');
  const secret = insertSecret(store, loc.environment, loc.secretPath, input.secretName, input);
  return { secret, version: latest(secret), valueHidden: false };
}

function insertSecret(
  store: VaultStore,
  envSlug: string,
  path: string,
  name: string,
  data: { value: string; comment?: string; skipMultilineEncoding?: boolean },
): SecretRecord {
  const now = store.clock.iso();
  const secret: SecretRecord = {
    id: uuid(),
    envSlug,
    path,
    type: 'shared',
    createdAt: now,
    versions: [
      {
        version: 1,
        key: name,
        value: data.value,
        comment: data.comment ?? '',
        skipMultilineEncoding: data.skipMultilineEncoding ?? false,
        updatedAt: now,
      },
    ],
  };
  store.secrets.set(secretKeyOf(envSlug, path, name), secret);
  return secret;
}

/** PATCH /api/v3/secrets/raw/{name}: a new version with the changed fields (and maybe a new name). @internal */
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
  const loc = normalised(input);
  gate(store, actorId, 'edit', loc, input.secretName);
  folderOrThrow(store, loc, 'UpdateSecret');
  const key = secretKeyOf(loc.environment, loc.secretPath, input.secretName);
  const secret = store.secrets.get(key);
  if (!secret) throw notFound(`Secret with name ${input.secretName} not found`);
  const current = latest(secret);
  const rename = input.newSecretName !== undefined && input.newSecretName !== input.secretName;
  if (rename) {
    const newKey = secretKeyOf(loc.environment, loc.secretPath, input.newSecretName as string);
    if (store.secrets.has(newKey)) throw badRequest('Secret with the new name already exists');
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

/** DELETE /api/v3/secrets/raw/{name}. @internal */
export function deleteSecret(store: VaultStore, actorId: string, input: SecretLocation & { secretName: string }): SecretView {
  const loc = normalised(input);
  gate(store, actorId, 'delete', loc, input.secretName);
  folderOrThrow(store, loc, 'DeleteSecret');
  const key = secretKeyOf(loc.environment, loc.secretPath, input.secretName);
  const secret = store.secrets.get(key);
  if (!secret) throw notFound(`Secret with name '${input.secretName}' not found`);
  store.secrets.delete(key);
  return { secret, version: latest(secret), valueHidden: false };
}

/** Create or re-version a secret without permission checks, creating folders (seeding and tests). @internal */
export function putSecret(store: VaultStore, envSlug: string, secretPath: string, name: string, value: string): SecretRecord {
  const path = normalizePath(secretPath);
  ensureFolder(store, envSlug, path);
  const existing = store.secrets.get(secretKeyOf(envSlug, path, name));
  if (!existing) return insertSecret(store, envSlug, path, name, { value });
  const current = latest(existing);
  existing.versions.push({ ...current, version: current.version + 1, value, updatedAt: store.clock.iso() });
  return existing;
}
