import { VaultProxyError, type VaultProxyErrorDetails } from '../errors.js';
import { answerOf, type CallAnswer, createInfisicalClient } from '../infisical/index.js';
import type { SessionCredentials } from './session-exports.js';
import type { ResolvedSession } from './session-options.js';
import type { SessionSteps } from './session-steps.js';

/** What the end-to-end check saw: statuses only. */
export interface SessionVerification {
  /** Universal-auth login as the MCP identity through the proxy (200). */
  readonly login: number;
  /** The probe read (200), or `skipped` without a probe key. */
  readonly probe: { readonly key: string; readonly path: string; readonly status: number } | 'skipped';
}

/** Words for an answer that is not the vault's own (Cloudflare, the proxy, the network). */
function seen(answer: CallAnswer): string {
  return answer.status === undefined
    ? `no answer from the vault (${answer.note || answer.networkCode || 'unknown'})`
    : `${answer.status}${answer.note ? ` ${answer.note}` : ''}`;
}

function failed(message: string, details: VaultProxyErrorDetails): VaultProxyError {
  return new VaultProxyError('VERIFY_FAILED', `${message} ${details.hint ?? ''}`.trim(), { details });
}

function loginFailed(session: ResolvedSession, answer: CallAnswer): VaultProxyError {
  const { identityName, credsPath, clientSecretKey, agentName } = session.identity;
  const what = `Universal-auth login as ${identityName} through the proxy → ${seen(answer)}`;
  if (answer.note.includes('failure mode B'))
    return failed(`${what}.`, {
      failureMode: 'B',
      hint: 'Restart the proxy with a current Access token: vault-proxy stop, export CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET, then run this again (docs/runbook.md §Failure mode B).',
    });
  if (answer.status === 401) {
    const rotate =
      agentName === undefined
        ? 'docs/runbook.md §Rotation'
        : `vault-provision rotate --identity-name ${identityName} --agent-name ${agentName}`;
    return failed(`${what}: the client secret stored at ${credsPath}/${clientSecretKey} does not log in (failure mode C).`, {
      status: 401,
      failureMode: 'C',
      hint: `Issue and store a new one (${rotate}), then run this again.`,
    });
  }
  return failed(`${what}.`, {
    ...(answer.status === undefined ? {} : { status: answer.status }),
    hint: 'Run vault-proxy doctor to see which part fails (docs/runbook.md §Diagnosis).',
  });
}

function probeFailed(session: ResolvedSession, probe: { key: string; path: string }, answer: CallAnswer): VaultProxyError {
  const what = `Read of the probe key ${probe.key} at ${probe.path} (${session.identity.environment}) as ${session.identity.identityName} → ${seen(answer)}`;
  const status = answer.status === undefined ? {} : { status: answer.status };
  if (answer.status === 403) {
    return failed(`${what}: the identity may not read there (failure mode D).`, {
      ...status,
      failureMode: 'D',
      hint: 'Name a key inside its scope with --probe-key / --probe-path (or VAULT_PROBE_KEY / VAULT_PROBE_PATH).',
    });
  }
  if (answer.status === 404)
    return failed(`${what}: no such key there.`, {
      ...status,
      hint: 'Fix --probe-key / --probe-path (or VAULT_PROBE_KEY / VAULT_PROBE_PATH).',
    });
  return failed(`${what}.`, { ...status, hint: 'Run vault-proxy doctor to see which part fails (docs/runbook.md §Diagnosis).' });
}

/**
 * Runbook step 6 for the identity's part: log in as the MCP identity through
 * the proxy (200), then, when a probe key is known, read it (200; the value
 * is dropped unread). Throws `VERIFY_FAILED` with the failure mode and its
 * fix. The token the login gets never leaves the client. @internal
 */
export async function verifySession(
  session: ResolvedSession,
  proxyUrl: string,
  credentials: SessionCredentials,
  steps: SessionSteps,
): Promise<SessionVerification> {
  const client = createInfisicalClient({ proxyUrl, timeoutMs: session.timeoutMs, retries: 1 });
  try {
    const identity = { clientId: credentials.clientId.reveal(), clientSecret: credentials.clientSecret };
    const login = await answerOf(() => client.authenticate(identity));
    if (login.status !== 200) throw loginFailed(session, login);
    const probe = session.probe;
    const loggedIn = `universal-auth login as ${session.identity.identityName} → 200`;
    if (probe === undefined) {
      steps.record(
        'verify',
        'done',
        `${loggedIn}; read skipped: no probe key (set VAULT_PROBE_KEY or pass --probe-key to check a read too)`,
      );
      return { login: 200, probe: 'skipped' };
    }
    const ref = { workspaceId: session.projectId, environment: session.identity.environment, secretPath: probe.path, secretKey: probe.key };
    const read = await answerOf(() => client.getSecret(ref));
    if (read.status !== 200) throw probeFailed(session, probe, read);
    steps.record('verify', 'done', `${loggedIn}; read ${probe.key} at ${probe.path} → 200 (value not shown)`);
    return { login: 200, probe: { ...probe, status: 200 } };
  } finally {
    client.close();
  }
}
