import { chmod, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { VaultProxyError } from '../errors.js';
import { randomHex } from '../random-hex.js';

/**
 * One identity registered for rotation (runbook Step 12). Ids and vault
 * paths only: the client secret lives in the vault at
 * `credsPath/clientSecretKey` and never in this file.
 */
export interface RotationManifestEntry {
  /** Machine identity name. */
  readonly identityName: string;
  /** Infisical identity id. */
  readonly identityId: string;
  /** Universal-auth client id (public). */
  readonly clientId: string;
  /** Project the credentials are stored in. */
  readonly projectId: string;
  /** Environment slug of the stored credentials. */
  readonly environment: string;
  /** Vault folder of the stored credentials. */
  readonly credsPath: string;
  /** Key of the stored client id, e.g. `MCP_RO_CLIENT_ID`. */
  readonly clientIdKey: string;
  /** Key of the stored client secret, e.g. `MCP_RO_CLIENT_SECRET`. */
  readonly clientSecretKey: string;
  /** Days between rotations. */
  readonly rotationIntervalDays: number;
  /** When the current client secret was issued, ISO-8601. */
  readonly lastRotatedAt: string;
  /** Infisical id of the current client secret (not the secret). */
  readonly currentClientSecretId: string;
}

/**
 * The rotation manifest file (JSON, mode 0600, written atomically):
 * `{ "version": 1, "identities": [RotationManifestEntry, …] }`, one entry
 * per identity name. `vault-provision rotate --due --manifest PATH`
 * rotates every entry whose `lastRotatedAt + rotationIntervalDays` has passed.
 */
export interface RotationManifest {
  readonly version: 1;
  readonly identities: readonly RotationManifestEntry[];
}

const STRING_FIELDS = [
  'identityName',
  'identityId',
  'clientId',
  'projectId',
  'environment',
  'credsPath',
  'clientIdKey',
  'clientSecretKey',
  'lastRotatedAt',
  'currentClientSecretId',
] as const;
const ENTRY_FIELDS = new Set<string>([...STRING_FIELDS, 'rotationIntervalDays']);

function invalid(path: string, field: string, problem: string): VaultProxyError {
  return new VaultProxyError('MANIFEST_INVALID', `Rotation manifest ${path}: \`${field}\` ${problem}. Fix the file or move it away.`, {
    details: { field, path },
  });
}

/** Validate parsed JSON as a manifest; throws `MANIFEST_INVALID` naming the field (never its value). */
export function parseRotationManifest(data: unknown, path = '(manifest)'): RotationManifest {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid(path, '(root)', 'must be an object');
  const root = data as Record<string, unknown>;
  if (root.version !== 1) throw invalid(path, 'version', 'must be 1');
  for (const key of Object.keys(root)) if (key !== 'version' && key !== 'identities') throw invalid(path, key, 'is not a manifest field');
  if (!Array.isArray(root.identities)) throw invalid(path, 'identities', 'must be an array');
  const names = new Set<string>();
  const identities = root.identities.map((raw, i) => {
    const at = `identities[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(path, at, 'must be an object');
    const entry = raw as Record<string, unknown>;
    for (const key of Object.keys(entry)) if (!ENTRY_FIELDS.has(key)) throw invalid(path, `${at}.${key}`, 'is not a manifest field');
    for (const key of STRING_FIELDS) {
      if (typeof entry[key] !== 'string' || entry[key] === '') throw invalid(path, `${at}.${key}`, 'must be a non-empty string');
    }
    const days = entry.rotationIntervalDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1)
      throw invalid(path, `${at}.rotationIntervalDays`, 'must be a positive integer');
    if (Number.isNaN(Date.parse(entry.lastRotatedAt as string))) throw invalid(path, `${at}.lastRotatedAt`, 'must be an ISO date');
    if (names.has(entry.identityName as string)) throw invalid(path, `${at}.identityName`, 'is listed twice');
    names.add(entry.identityName as string);
    return entry as unknown as RotationManifestEntry;
  });
  return { version: 1, identities };
}

/** Read a manifest; a missing file is an empty manifest when `missingOk`, else `MANIFEST_INVALID`. */
export async function readRotationManifest(path: string, options: { missingOk?: boolean } = {}): Promise<RotationManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.missingOk) return { version: 1, identities: [] };
    throw new VaultProxyError('MANIFEST_INVALID', `Rotation manifest ${path} cannot be read. Check the path.`, {
      details: { path, code: (error as NodeJS.ErrnoException).code },
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid(path, '(root)', 'is not valid JSON');
  }
  return parseRotationManifest(data, path);
}

/** Write a manifest atomically (temp file in the same folder, fsync, rename) with mode 0600. */
export async function writeRotationManifest(path: string, manifest: RotationManifest): Promise<void> {
  const checked = parseRotationManifest(manifest, path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomHex(4)}.tmp`);
  const file = await open(temp, 'wx', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(checked, null, 2)}\n`, 'utf8');
    await file.sync();
    await file.close();
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw new VaultProxyError('MANIFEST_INVALID', `Rotation manifest ${path} could not be written. Check the folder's permissions.`, {
      details: { path, code: (error as NodeJS.ErrnoException).code },
    });
  }
}

/** The manifest with `entry` added or replacing the entry of the same identity name, and whether anything changed. */
export function upsertManifestEntry(
  manifest: RotationManifest,
  entry: RotationManifestEntry,
): { manifest: RotationManifest; changed: boolean } {
  const index = manifest.identities.findIndex((e) => e.identityName === entry.identityName);
  const current = manifest.identities[index];
  if (current && JSON.stringify(current) === JSON.stringify(normalise(entry))) return { manifest, changed: false };
  const identities = [...manifest.identities];
  if (index === -1) identities.push(normalise(entry));
  else identities[index] = normalise(entry);
  return { manifest: { version: 1, identities }, changed: true };
}

/** Field order fixed, unknown fields dropped (a secret can never ride along). */
function normalise(entry: RotationManifestEntry): RotationManifestEntry {
  return {
    identityName: entry.identityName,
    identityId: entry.identityId,
    clientId: entry.clientId,
    projectId: entry.projectId,
    environment: entry.environment,
    credsPath: entry.credsPath,
    clientIdKey: entry.clientIdKey,
    clientSecretKey: entry.clientSecretKey,
    rotationIntervalDays: entry.rotationIntervalDays,
    lastRotatedAt: entry.lastRotatedAt,
    currentClientSecretId: entry.currentClientSecretId,
  };
}

/** Whether an entry's rotation interval has passed at `now`. */
export function isRotationDue(entry: RotationManifestEntry, now: Date): boolean {
  return Date.parse(entry.lastRotatedAt) + entry.rotationIntervalDays * 86_400_000 <= now.getTime();
}

/**
 * The entry of the identity in use: the one named `identityName` when
 * given, else the one whose `clientId` is `clientId` (the configured
 * `INFISICAL_MCP_CLIENT_ID`); `undefined` when none matches.
 */
export function findManifestEntry(
  manifest: RotationManifest,
  by: { readonly identityName?: string; readonly clientId?: string },
): RotationManifestEntry | undefined {
  if (by.identityName !== undefined) return manifest.identities.find((e) => e.identityName === by.identityName);
  if (by.clientId !== undefined) return manifest.identities.find((e) => e.clientId === by.clientId);
  return undefined;
}
