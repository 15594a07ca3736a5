import { createInfisicalClient } from '../infisical/index.js';
import { checkLogin, checkProbeSecret } from './check-identity.js';
import { checkMcpConfig } from './check-mcp-config.js';
import { checkProxy } from './check-proxy.js';
import { type DoctorOptions, resolveDoctorOptions } from './doctor-options.js';
import { type DoctorCheck, type DoctorReport, skipped } from './doctor-report.js';
import { resolveIdentityInUse } from './identity-in-use.js';

/**
 * docs/runbook.md §Diagnosis, in its order:
 * A proxy running → B `/api/status` through it → C login as the MCP
 * identity → D get-secret of a known key → E the MCP config. A check that
 * needs an earlier one is `skipped` when that one failed; E always runs.
 * D without a probe key is a warning, and the report is ok when every
 * check that ran passed. Fixes name the MCP identity in use (options, else
 * the rotation manifest's entry of its client id). Never throws for what it
 * diagnoses (only `CONFIG_INVALID` / `MANIFEST_INVALID` for bad options);
 * nothing in the report is a secret.
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const o = resolveDoctorOptions(options);
  const identity = await resolveIdentityInUse(options, o.mcpClientId);
  const checks: DoctorCheck[] = [];
  const proxy = await checkProxy(o);
  checks.push(proxy.running);
  if (proxy.vaultStatus === undefined || proxy.url === undefined) {
    checks.push(skipped('vault-status', 'Vault status through the proxy', proxy.running.title));
    checks.push(skipped('mcp-login', 'Universal-auth login as the MCP identity', proxy.running.title));
    checks.push(skipped('probe-secret', 'get-secret of the probe key', proxy.running.title));
  } else {
    checks.push(proxy.vaultStatus);
    const client = createInfisicalClient({ proxyUrl: proxy.url, timeoutMs: o.timeoutMs, retries: 0 });
    try {
      const login = proxy.vaultStatus.ok
        ? await checkLogin(o, client, identity)
        : skipped('mcp-login', 'Universal-auth login as the MCP identity', proxy.vaultStatus.title);
      checks.push(login);
      checks.push(
        login.ok ? await checkProbeSecret(o, client, identity) : skipped('probe-secret', 'get-secret of the probe key', login.title),
      );
    } finally {
      client.close();
    }
  }
  checks.push(await checkMcpConfig(options, o));
  const firstMode = checks.find((c) => c.failureMode !== undefined)?.failureMode;
  return {
    ok: checks.every((c) => c.ok),
    proxyUrl: o.proxyUrl,
    checks,
    ...(firstMode === undefined ? {} : { failureMode: firstMode }),
    identity,
  };
}
