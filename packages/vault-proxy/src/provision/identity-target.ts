import { DEFAULT_IDENTITY_ROOT, defaultCredsPath, defaultPrivilegeSlug, storedKeyNames } from '../identity/identity-names.js';
import { checkAgentName, checkFolderPath, checkIdentityName, isValidSlug, refuse } from './guardrails.js';

/** Which identity a command is about and where its credentials live. */
export interface IdentityTargetOptions {
  /** Name of the machine identity, e.g. `infisical-identity-mcp-main-loop-trademaster`. Required. */
  identityName?: string;
  /** Agent name; upper-snaked it prefixes the stored keys `<AGENT>_CLIENT_ID` / `<AGENT>_CLIENT_SECRET` (e.g. `mcp-ro` → `MCP_RO_…`). Required. */
  agentName?: string;
  /** Environment slug. Default `prod`. */
  environment?: string;
  /** The configured root every scope must lie in. Default `/MooseQuest`. */
  root?: string;
  /** Folder holding the stored credentials. Default `<root>/identities/<identityName>` (`/MooseQuest/identities/<identity-name>`). */
  credsPath?: string;
  /** Slug of the additional privilege. Default `<agentName>-read`, made a valid slug; an explicit slug must already be valid. */
  slug?: string;
}

/** The identity a command works on, validated. @internal */
export interface IdentityTarget {
  readonly identityName: string;
  readonly agentName: string;
  readonly environment: string;
  readonly root: string;
  readonly credsPath: string;
  readonly clientIdKey: string;
  readonly clientSecretKey: string;
  readonly slug: string;
}

/** Validate the identity target; throws `PROVISION_REFUSED` naming the field. @internal */
export function resolveIdentityTarget(options: IdentityTargetOptions): IdentityTarget {
  const identityName = checkIdentityName(options.identityName);
  const agentName = checkAgentName(options.agentName);
  const environment = (options.environment ?? 'prod').trim();
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(environment)) {
    throw refuse('environment', 'is not an environment slug', 'Use the slug, e.g. prod (lowercase letters, digits, `-`, `_`).');
  }
  const root = checkFolderPath(options.root ?? DEFAULT_IDENTITY_ROOT, 'root', true);
  const credsPath = checkFolderPath(options.credsPath ?? defaultCredsPath(identityName, root), 'credsPath');
  let slug: string;
  if (options.slug !== undefined) {
    slug = options.slug.trim();
    if (!isValidSlug(slug)) {
      throw refuse('slug', 'is not a valid slug', 'Use 1–60 lowercase letters and digits separated by single hyphens, e.g. mcp-ro-read.');
    }
  } else {
    slug = defaultPrivilegeSlug(agentName);
  }
  return { identityName, agentName, environment, root, credsPath, ...storedKeyNames(agentName), slug };
}
