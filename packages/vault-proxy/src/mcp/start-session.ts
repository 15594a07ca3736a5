import { type EnableMcpResult, enableMcp } from './enable-mcp.js';
import { MCP_CLIENTS } from './mcp-client.js';
import { MCP_CLIENT_ID_VAR, MCP_CLIENT_SECRET_VAR } from './mcp-server-entry.js';
import { readStoredCredentials } from './session-credentials.js';
import type { SessionCredentials } from './session-exports.js';
import type { SessionIdentity } from './session-identity.js';
import { type ResolvedSession, resolveSession, type StartSessionOptions } from './session-options.js';
import { checkVaultStatus, ensureProxy, type SessionProxy, stopStartedProxy } from './session-proxy.js';
import { type SessionStep, SessionSteps } from './session-steps.js';
import { type SessionVerification, verifySession } from './session-verify.js';

/** What {@link startSession} did, and what to do next. Names, paths and statuses only, except `credentials`. */
export interface StartSessionResult {
  /** The identity wired in, and where its credentials are stored. */
  readonly identity: SessionIdentity;
  /** Every step, in the order it ran. */
  readonly steps: readonly SessionStep[];
  /** The proxy used: started now, or reused. */
  readonly proxy: SessionProxy;
  /** The end-to-end check through the proxy. */
  readonly verify: SessionVerification;
  /** The MCP config written (or found current). */
  readonly config: Omit<EnableMcpResult, 'variables'>;
  /** The variables the config references, which the agent's shell must hold: `INFISICAL_MCP_CLIENT_ID`, `INFISICAL_MCP_CLIENT_SECRET`. */
  readonly variables: readonly string[];
  /** The command line that starts this same session (add `--print-env` to load the credentials into a shell). */
  readonly command: string;
  /** What to do next, one sentence each: load the variables into the agent's shell, then reload the client. */
  readonly next: readonly string[];
  /**
   * The MCP identity's credentials, in memory only (`SecretValue`s print as
   * `[redacted]`). Hand them to a shell with `credentialExportLines`, and
   * never print the result's other parts with them.
   */
  readonly credentials: SessionCredentials;
}

const GITIGNORE: Record<EnableMcpResult['gitignore'], string> = {
  added: 'added to .gitignore',
  'already-ignored': 'git-ignored',
  'no-git-repo': 'not in a git repository: keep it out of version control',
};

function recordConfig(steps: SessionSteps, config: Omit<EnableMcpResult, 'variables'>): void {
  const what = `${config.file} (${MCP_CLIENTS[config.client].title}; ${GITIGNORE[config.gitignore]}; \${VAR} references only)`;
  if (config.action === 'unchanged') steps.record('mcp-config', 'already-done', `already current: ${what}`);
  else steps.record('mcp-config', 'done', `${config.action === 'created' ? 'wrote' : 'updated'} ${what}`);
}

/** The next steps: get the variables into the agent's shell, then start the client from it. */
function nextSteps(session: ResolvedSession, printEnv: boolean): string[] {
  const vars = `${MCP_CLIENT_ID_VAR} and ${MCP_CLIENT_SECRET_VAR}`;
  const evalLine = `eval "$(${session.command} --print-env)"`;
  const load = printEnv
    ? `The MCP config references ${vars}, which a shell that ran ${evalLine} now holds: start the agent from that shell.`
    : `The MCP config references ${vars} and holds no values: load them into the shell you start the agent from with ${evalLine} (it prints the export lines and nothing else).`;
  const title = MCP_CLIENTS[session.target.client].title;
  const reload =
    session.target.client === 'claude'
      ? 'Quit Claude Code and start it again from that shell: /mcp reconnects the server, but with the environment Claude Code was started with.'
      : `Start ${title} from that shell (or reload its window if it was started from there), so it starts the server with those variables.`;
  return [load, reload];
}

/**
 * docs/runbook.md §Session start, steps 1–6, as one call from the agent's
 * repository: check the Cloudflare Access token is set (names only) unless
 * a proxy already answers on the port; start the proxy detached (or reuse
 * it) and check the vault answers through it; log in as the admin identity
 * through the proxy and read the MCP identity's stored client id and
 * secret; log in as the MCP identity and read the probe key through the
 * proxy; write the MCP config (`${VAR}` references only, git-ignored, 0600).
 *
 * Resolve → validate (every option, before anything runs) → run. Rerunning
 * is harmless: a running proxy is reused and a current config is left
 * `unchanged`. The credentials never touch the disk: they are returned in
 * memory for the caller to hand to a shell, or to drop. When a step fails,
 * a proxy this call started is stopped again and no config is written (the
 * config is the last step). Errors are `VaultProxyError`s naming the
 * option, variable or failure mode, with the fix.
 *
 * @example
 * ```ts
 * import { credentialExportLines, startSession } from '@raxx/vault-proxy/mcp';
 *
 * const result = await startSession({ identityName: 'infisical-identity-mcp-main-loop-trademaster', agentName: 'mcp-ro' });
 * for (const step of result.steps) console.error(`${step.title}: ${step.detail}`);
 * for (const line of credentialExportLines(result.credentials)) process.stdout.write(`${line}\n`); // for eval "$(…)"
 * ```
 */
export async function startSession(options: StartSessionOptions = {}): Promise<StartSessionResult> {
  const session = await resolveSession(options);
  const steps = new SessionSteps(options.onStep);
  let proxy: SessionProxy | undefined;
  try {
    proxy = await ensureProxy(session, steps);
    await checkVaultStatus(session, steps);
    const credentials = await readStoredCredentials(session, session.proxyUrl, steps);
    const verify = await verifySession(session, session.proxyUrl, credentials, steps);
    const { variables: _, ...config } = await enableMcp(session.mcp);
    recordConfig(steps, config);
    return {
      identity: session.identity,
      steps: steps.done,
      proxy,
      verify,
      config,
      variables: [MCP_CLIENT_ID_VAR, MCP_CLIENT_SECRET_VAR],
      command: session.command,
      next: nextSteps(session, options.printEnv === true),
      credentials,
    };
  } catch (error) {
    await stopStartedProxy(proxy);
    throw error;
  }
}
