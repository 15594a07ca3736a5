import { disableMcp, MCP_CLIENT_NAMES } from '@raxx/vault-proxy/mcp';
import { findRunningProxies, stopVaultProxyProcess } from '@raxx/vault-proxy/process';
import { runCli } from '../helpers.js';
import type { DocSession } from './doc-session.js';

/** Stop every proxy of the session (its runtime directory only: never another test's). */
export async function stopSessionProxies(session: DocSession): Promise<number[]> {
  const { proxies } = await findRunningProxies({ env: session.env });
  await Promise.all(proxies.map((p) => stopVaultProxyProcess(p.pid, 5000).catch(() => undefined)));
  return proxies.map((p) => p.pid);
}

/**
 * Put the session into a failure mode of docs/runbook.md, so that the
 * section's commands run from that failure and must fix it:
 * A the proxy is not running; B the proxy runs with a service token
 * Cloudflare refuses (its start warned so; the shell already holds the refreshed one);
 * C the shell holds a revoked MCP client secret; E the repository has no MCP config.
 */
export async function enterScene(scene: string, session: DocSession): Promise<void> {
  switch (scene) {
    case 'A':
      await stopSessionProxies(session);
      return;
    case 'B': {
      await stopSessionProxies(session);
      const stale = await runCli(['start', '--detach'], { ...session.env, CF_ACCESS_CLIENT_SECRET: 'stale-service-token-secret' });
      if (stale.code !== 0) throw new Error(`scene B: could not start the proxy with a stale token: ${stale.stderr}`);
      // What the operator sees at that start (docs/runbook.md §Failure mode B): a warning naming the failure mode.
      if (!/^vault-proxy: warning: .*403 CF_ACCESS_DENIED.*\(failure mode B\)/m.test(stale.stderr)) {
        throw new Error(`scene B: start --detach with a stale token did not warn about failure mode B: ${stale.stderr}`);
      }
      return;
    }
    case 'C':
      session.env.INFISICAL_MCP_CLIENT_SECRET = 'revoked-mcp-client-secret';
      return;
    case 'E':
      for (const client of MCP_CLIENT_NAMES) await disableMcp({ dir: session.dirs.repo, client, env: session.env });
      return;
    default:
      throw new Error(`unknown scene ${scene} (the test knows A, B, C and E)`);
  }
}
