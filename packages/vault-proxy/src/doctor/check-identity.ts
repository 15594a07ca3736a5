import { PROXY_CLOUDFLARE_CODES } from '../cloudflare/cloudflare-answer.js';
import { isVaultProxyError } from '../errors.js';
import { folderMissingOn, type InfisicalClient } from '../infisical/index.js';
import type { ResolvedDoctorOptions } from './doctor-options.js';
import { type DoctorCheck, fail, pass, warning } from './doctor-report.js';
import type { IdentityInUse } from './identity-in-use.js';
import { type ProbeWhere, RUNBOOK_FIX } from './runbook-fixes.js';

const C_TITLE = 'Universal-auth login as the MCP identity';
const D_TITLE = 'get-secret of the probe key';

/** Status and a secret-free description of a client failure. */
function describe(error: unknown): { status: number | undefined; what: string } {
  if (isVaultProxyError(error)) {
    const status = typeof error.details.status === 'number' ? error.details.status : undefined;
    const name = typeof error.details.error === 'string' ? error.details.error : undefined;
    const code = typeof error.details.code === 'string' ? error.details.code : undefined;
    const what = status === undefined ? `no answer (${code ?? error.code})` : `${status}${name ? ` ${name}` : ''}`;
    return { status, what };
  }
  return { status: undefined, what: 'an unexpected failure' };
}

/**
 * Whether Cloudflare (not Infisical) refused. Behind Cloudflare every answer
 * carries `cf-ray`, Infisical's own JSON 403 included, so an Infisical error
 * name in the body means it was Infisical (failure mode D), whatever the
 * client's classification says.
 */
function isCloudflare(error: unknown): boolean {
  if (!isVaultProxyError(error) || error.details.failureMode !== 'B') return false;
  const name = error.details.error;
  return typeof name !== 'string' || PROXY_CLOUDFLARE_CODES.has(name);
}

/**
 * docs/runbook.md §Diagnosis, step 3: log in as the MCP identity through the proxy.
 * The client keeps the access token in a `SecretValue` for check D; it
 * never reaches the report. @internal
 */
export async function checkLogin(o: ResolvedDoctorOptions, client: InfisicalClient, inUse: IdentityInUse): Promise<DoctorCheck> {
  if (o.identity === undefined) {
    const detail = 'INFISICAL_MCP_CLIENT_ID / INFISICAL_MCP_CLIENT_SECRET are not both set.';
    return fail('mcp-login', C_TITLE, detail, RUNBOOK_FIX.missingIdentity(inUse), 'C');
  }
  const path = 'POST /api/v1/auth/universal-auth/login';
  try {
    await client.authenticate(o.identity);
    return pass('mcp-login', C_TITLE, `${path} → 200: access token present.`, 200);
  } catch (error) {
    const { status, what } = describe(error);
    if (isCloudflare(error)) return fail('mcp-login', C_TITLE, `${path} → ${what} from Cloudflare.`, RUNBOOK_FIX.cfAccess, 'B', status);
    if (status === 401)
      return fail(
        'mcp-login',
        C_TITLE,
        `${path} → ${what}: credentials wrong or client secret revoked.`,
        RUNBOOK_FIX.identity(inUse),
        'C',
        status,
      );
    if (status === 502 || status === 504 || status === undefined) {
      return fail('mcp-login', C_TITLE, `${path} → ${what}.`, RUNBOOK_FIX.upstreamUnreachable, undefined, status);
    }
    return fail('mcp-login', C_TITLE, `${path} → ${what}.`, RUNBOOK_FIX.identity(inUse), 'C', status);
  }
}

/**
 * docs/runbook.md §Diagnosis, step 4: read a known key as the MCP identity. Only
 * "key present" is reported; the value is dropped unread. Without a probe
 * key it is a warning, not a failure. @internal
 */
export async function checkProbeSecret(o: ResolvedDoctorOptions, client: InfisicalClient, inUse: IdentityInUse): Promise<DoctorCheck> {
  if (o.probeKey === undefined) {
    return warning('probe-secret', D_TITLE, 'skipped: set VAULT_PROBE_KEY', RUNBOOK_FIX.missingProbe(inUse, o.probePath));
  }
  const probe: ProbeWhere = { key: o.probeKey, path: o.probePath, environment: o.environment };
  const where = `${o.probeKey} at ${o.environment}:${o.probePath}`;
  try {
    await client.getSecret({ workspaceId: o.projectId, environment: o.environment, secretPath: o.probePath, secretKey: o.probeKey });
    return pass('probe-secret', D_TITLE, `GET /api/v3/secrets/raw/${o.probeKey} → 200: key present (${where}).`, 200);
  } catch (error) {
    const { status, what } = describe(error);
    const detail = `GET /api/v3/secrets/raw/${o.probeKey} → ${what} (${where})`;
    if (isCloudflare(error)) return fail('probe-secret', D_TITLE, `${detail} from Cloudflare.`, RUNBOOK_FIX.cfAccess, 'B', status);
    if (status === 403) {
      const why = `${detail}: the MCP identity may not read this path (or a secret it references).`;
      return fail('probe-secret', D_TITLE, why, RUNBOOK_FIX.outOfScope(inUse, probe), 'D', status);
    }
    if (status === 401)
      return fail('probe-secret', D_TITLE, `${detail}: the access token was refused.`, RUNBOOK_FIX.identity(inUse), 'C', status);
    if (folderMissingOn(error)) {
      const why = `${detail}: the folder ${o.probePath} does not exist in ${o.environment}.`;
      return fail('probe-secret', D_TITLE, why, RUNBOOK_FIX.folderMissing(inUse, probe), undefined, status);
    }
    if (status === 404)
      return fail('probe-secret', D_TITLE, `${detail}: no such key.`, RUNBOOK_FIX.probeNotFound(probe), undefined, status);
    return fail('probe-secret', D_TITLE, `${detail}.`, RUNBOOK_FIX.upstreamUnreachable, undefined, status);
  }
}
