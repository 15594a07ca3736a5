import { configInvalid } from '../errors.js';
import { agentNameOfKey, defaultCredsPath, storedKeyNames } from '../identity/identity-names.js';
import { findManifestEntry, readRotationManifest } from '../identity/rotation-manifest.js';

/** Which MCP identity the doctor's fixes are about: what the operator configured, never the runbook's production one. */
export interface IdentityInUseOptions {
  /** Name of the machine identity. */
  identityName?: string;
  /** Its agent name (stored keys `<AGENT>_CLIENT_ID` / `<AGENT>_CLIENT_SECRET`). */
  agentName?: string;
  /** Folder of its stored credentials. Default `/MooseQuest/identities/<identity-name>`, as provisioning stores them. */
  credsPath?: string;
  /** Slug of its additional privilege, when it is not provisioning's default `<agent-name>-read`. */
  slug?: string;
  /** A rotation manifest: the entry of `identityName`, else of the configured `INFISICAL_MCP_CLIENT_ID`, names the identity. */
  manifest?: string;
}

/**
 * The names of the identity in use, each only when known (from the options,
 * else the rotation manifest). Names and paths only, never a credential.
 */
export interface IdentityInUse {
  /** Where the names came from: the options (flags), the manifest's entry, or nowhere (fixes speak generically). */
  readonly source: 'options' | 'manifest' | 'none';
  readonly identityName?: string;
  readonly agentName?: string;
  readonly credsPath?: string;
  readonly clientIdKey?: string;
  readonly clientSecretKey?: string;
  /** The privilege's slug, only when given: provisioning's default is a guess for an identity made by hand. */
  readonly slug?: string;
  /** The manifest read, when one was given. */
  readonly manifest?: string;
}

function text(value: string | undefined): string | undefined {
  const t = value?.trim();
  return t === undefined || t === '' ? undefined : t;
}

/**
 * Resolve the identity in use. A manifest without the named identity is a
 * `CONFIG_INVALID` naming `identityName`; one without an entry for the
 * configured client id simply names nothing (the fixes then say how to name it).
 * @internal
 */
export async function resolveIdentityInUse(options: IdentityInUseOptions, clientId: string | undefined): Promise<IdentityInUse> {
  const given = {
    identityName: text(options.identityName),
    agentName: text(options.agentName),
    credsPath: text(options.credsPath)?.replace(/(.)\/$/, '$1'),
    slug: text(options.slug),
  };
  const manifestPath = text(options.manifest);
  const manifest = manifestPath === undefined ? undefined : await readRotationManifest(manifestPath);
  const entry = manifest && findManifestEntry(manifest, { identityName: given.identityName, clientId });
  if (manifest && given.identityName !== undefined && entry === undefined) {
    const hint = 'Name an identity the manifest lists, or leave the name out to match INFISICAL_MCP_CLIENT_ID.';
    throw configInvalid('identityName', 'option', `names no entry of the rotation manifest ${manifestPath}`, hint);
  }
  const identityName = given.identityName ?? entry?.identityName;
  const agentName = given.agentName ?? (entry ? agentNameOfKey(entry.clientIdKey) : undefined);
  const keys = given.agentName ? storedKeyNames(given.agentName) : entry;
  const credsPath = given.credsPath ?? entry?.credsPath ?? (identityName === undefined ? undefined : defaultCredsPath(identityName));
  const named = Object.values(given).some((v) => v !== undefined);
  return {
    source: named ? 'options' : entry ? 'manifest' : 'none',
    ...(identityName === undefined ? {} : { identityName }),
    ...(agentName === undefined ? {} : { agentName }),
    ...(credsPath === undefined ? {} : { credsPath }),
    ...(keys === undefined ? {} : { clientIdKey: keys.clientIdKey, clientSecretKey: keys.clientSecretKey }),
    ...(given.slug === undefined ? {} : { slug: given.slug }),
    ...(manifestPath === undefined ? {} : { manifest: manifestPath }),
  };
}
