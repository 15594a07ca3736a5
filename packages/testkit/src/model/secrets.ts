import { notFound } from '../errors.js';
import { ensureFolder, findFolder } from './folders.js';
import { normalizePath } from './paths.js';
import type { ProjectRef } from './projects.js';
import { uuid } from './random.js';
import type { FolderRecord, SecretRecord, SecretVersionRecord, VaultStore } from './store.js';
import { latest, secretKeyOf } from './store.js';

/** Where a secret operation points. `secretPath` is normalised by {@link normalised}. @internal */
export interface SecretLocation extends ProjectRef {
  environment: string;
  secretPath: string;
}

/** A secret as the handlers shape it: record, chosen version, the value to show, and whether it is hidden. @internal */
export interface SecretView {
  secret: SecretRecord;
  version: SecretVersionRecord;
  valueHidden: boolean;
  /** The value after reference expansion, when it was asked for; else the stored value. */
  value?: string;
}

/** The mask Infisical puts in place of a value the caller may not (or asked not to) see. */
export const HIDDEN_SECRET_VALUE = '<hidden-by-infisical>';

/** The location with its path normalised (a leading `/`, no trailing one). @internal */
export const normalised = <T extends SecretLocation>(loc: T): T => ({ ...loc, secretPath: normalizePath(loc.secretPath) });

/** The folder at the location, or the 404 whose `error` names the operation (GetSecretByName, CreateSecret, …). @internal */
export function folderOrThrow(store: VaultStore, loc: SecretLocation, errorName: string): FolderRecord {
  const folder = findFolder(store, loc.environment, loc.secretPath);
  if (!folder) {
    throw notFound(`Folder with path '${loc.secretPath}' in environment with slug '${loc.environment}' not found`, errorName);
  }
  return folder;
}

/** A new shared secret at version 1. @internal */
export function insertSecret(
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
