import { resolve } from 'node:path';
import { configInvalid } from '../errors.js';
import { defaultCredsPath, storedKeyNames } from '../identity/identity-names.js';
import { findManifestEntry, readRotationManifest } from '../identity/rotation-manifest.js';

/**
 * Which machine identity a session wires into the MCP config: by its names,
 * as `vault-provision onboard` was given them (`identityName` + `agentName`),
 * or by its entry in a rotation manifest (`identityName` + `manifest`).
 */
export interface SessionIdentityOptions {
  /** Name of the machine identity, e.g. `infisical-identity-mcp-main-loop-trademaster`. Required. */
  identityName?: string;
  /** Agent name it was onboarded with; the stored keys are `<AGENT>_CLIENT_ID` / `<AGENT>_CLIENT_SECRET` (`mcp-ro` → `MCP_RO_…`). Required unless `manifest`. */
  agentName?: string;
  /** A rotation manifest (`vault-provision onboard --manifest`) whose entry for `identityName` names the folder, keys, environment and project. Relative to `cwd`. */
  manifest?: string;
  /** Environment slug of the stored credentials. Default `prod` (with `manifest`: the entry's). */
  environment?: string;
  /** Folder of the stored credentials. Default `/MooseQuest/identities/<identityName>`, as onboarding stores them (with `manifest`: the entry's). */
  credsPath?: string;
}

/** The identity a session is for and where its credentials are stored: names and paths only, never a value. */
export interface SessionIdentity {
  readonly identityName: string;
  /** How it was named: `names` (identity and agent name) or `manifest` (a rotation-manifest entry). */
  readonly source: 'names' | 'manifest';
  /** The agent name, when given. */
  readonly agentName?: string;
  /** The rotation manifest read (absolute), when given. */
  readonly manifest?: string;
  readonly environment: string;
  /** Vault folder of the stored credentials. */
  readonly credsPath: string;
  /** Key of the stored client id, e.g. `MCP_RO_CLIENT_ID`. */
  readonly clientIdKey: string;
  /** Key of the stored client secret, e.g. `MCP_RO_CLIENT_SECRET`. */
  readonly clientSecretKey: string;
  /** The project the manifest entry names, when read from one. */
  readonly projectId?: string;
}

const NAME = /^[A-Za-z0-9_-]{1,128}$/;
const AGENT = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const ENVIRONMENT = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const FOLDER = /^(\/[A-Za-z0-9_-]+)+$/;

function text(value: string | undefined): string | undefined {
  const t = value?.trim();
  return t === undefined || t === '' ? undefined : t;
}

/** From a rotation-manifest entry: the manifest is the one place the keys, folder and environment come from. */
async function fromManifest(identityName: string, options: SessionIdentityOptions, cwd: string): Promise<SessionIdentity> {
  const given = (['agentName', 'credsPath', 'environment'] as const).find((f) => text(options[f]) !== undefined);
  if (given !== undefined) {
    throw configInvalid(
      given,
      'option',
      'cannot be combined with `manifest`',
      'The manifest entry names the keys, folder and environment: pass one or the other.',
    );
  }
  const path = resolve(cwd, options.manifest as string);
  const manifest = await readRotationManifest(path);
  const entry = findManifestEntry(manifest, { identityName });
  if (entry === undefined) {
    const listed = manifest.identities.map((e) => e.identityName).join(', ') || 'no identity';
    throw configInvalid(
      'identityName',
      'option',
      `names no entry of the rotation manifest ${path} (it lists ${listed})`,
      'Pass one of the names it lists, or name the identity with --agent-name instead of --manifest.',
    );
  }
  const { environment, credsPath, clientIdKey, clientSecretKey, projectId } = entry;
  return { identityName, source: 'manifest', manifest: path, environment, credsPath, clientIdKey, clientSecretKey, projectId };
}

/**
 * Resolve and validate which identity the session is for, with the names
 * provisioning stores its credentials under (`storedKeyNames`,
 * `defaultCredsPath`), or from its rotation-manifest entry. Throws
 * `CONFIG_INVALID` naming the option (`MANIFEST_INVALID` for a bad manifest). @internal
 */
export async function resolveSessionIdentity(options: SessionIdentityOptions, cwd: string): Promise<SessionIdentity> {
  const identityName = text(options.identityName);
  const naming = 'Pass the name it was onboarded with, e.g. --identity-name infisical-identity-mcp-main-loop-trademaster.';
  if (identityName === undefined) throw configInvalid('identityName', 'option', 'is required', naming);
  if (!NAME.test(identityName))
    throw configInvalid('identityName', 'option', 'may hold only letters, digits, `-` and `_` (at most 128)', naming);
  if (text(options.manifest) !== undefined) return fromManifest(identityName, options, cwd);

  const agentName = text(options.agentName);
  const agentHint =
    'Pass the agent name it was onboarded with (its stored keys are <AGENT>_CLIENT_ID / <AGENT>_CLIENT_SECRET), or --manifest.';
  if (agentName === undefined) throw configInvalid('agentName', 'option', 'is required', agentHint);
  if (!AGENT.test(agentName))
    throw configInvalid('agentName', 'option', 'must start with a letter and hold only letters, digits, `-` and `_`', agentHint);
  const environment = text(options.environment) ?? 'prod';
  if (!ENVIRONMENT.test(environment))
    throw configInvalid('environment', 'option', 'is not an environment slug', 'Use the slug, e.g. prod.');
  const credsPath = (text(options.credsPath) ?? defaultCredsPath(identityName)).replace(/(.)\/$/, '$1');
  if (!FOLDER.test(credsPath)) {
    throw configInvalid(
      'credsPath',
      'option',
      'must be an absolute folder path of letters, digits, `-` and `_`',
      'For example /MooseQuest/identities/<identity-name>.',
    );
  }
  return { identityName, source: 'names', agentName, environment, credsPath, ...storedKeyNames(agentName) };
}
