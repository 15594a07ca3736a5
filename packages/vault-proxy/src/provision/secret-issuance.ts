import { isVaultProxyError, VaultProxyError } from '../errors.js';
import { type ClientSecretData, type InfisicalClient, policyViolationOn, type Secret, type SecretRef } from '../infisical/index.js';
import type { SecretValue } from '../secret-value.js';

/** Where an identity's client secret is stored and how it logs in. @internal */
export interface StoredCredential {
  readonly identityId: string;
  readonly clientId: string;
  /** The stored `<AGENT>_CLIENT_SECRET`. */
  readonly secretRef: SecretRef;
}

/** The stored client secret, if any, and whether it still logs in. @internal */
export interface StoredSecretState {
  readonly stored: Secret | undefined;
  readonly works: boolean;
}

const COMMENT_PREFIX = 'client secret id ';

/** The comment stored with the client secret: names the Infisical client-secret id (not a secret), so orphans can be told apart. */
function commentFor(clientSecretId: string): string {
  return `${COMMENT_PREFIX}${clientSecretId} (written by vault-provision; never print the value)`;
}

/** Read the stored client secret and probe a login with it. @internal */
export async function readStoredSecret(client: InfisicalClient, credential: StoredCredential): Promise<StoredSecretState> {
  const stored = await client.findSecret(credential.secretRef);
  if (stored === undefined || stored.secretValue.isEmpty) return { stored, works: false };
  return { stored, works: await client.canLogIn({ clientId: credential.clientId, clientSecret: stored.secretValue }) };
}

/**
 * The client secrets that a stored value belongs to: by the id in its
 * comment, else by its 4-character prefix (ambiguous prefixes keep all
 * candidates, so nothing that might be the stored one is ever revoked).
 * @internal
 */
export function storedSecretIds(stored: Secret, secrets: readonly ClientSecretData[]): Set<string> {
  const fromComment = stored.secretComment.startsWith(COMMENT_PREFIX)
    ? stored.secretComment.slice(COMMENT_PREFIX.length).split(' ')[0]
    : undefined;
  if (fromComment && secrets.some((s) => s.id === fromComment)) return new Set([fromComment]);
  const prefix = stored.secretValue.reveal().slice(0, 4);
  return new Set(secrets.filter((s) => s.clientSecretPrefix === prefix).map((s) => s.id));
}

/** Revoke every non-revoked client secret of the identity except `keep`. Returns how many were revoked. @internal */
export async function revokeOtherSecrets(client: InfisicalClient, identityId: string, keep: ReadonlySet<string>): Promise<number> {
  const others = (await client.listClientSecrets(identityId)).filter((s) => !s.isClientSecretRevoked && !keep.has(s.id));
  for (const secret of others) await client.revokeClientSecret(identityId, secret.id);
  return others.length;
}

/** What {@link issueStoreProve} produced (no secret). @internal */
export interface IssuedAndStored {
  readonly clientSecretData: ClientSecretData;
  /** Version of the stored secret after the write. */
  readonly version: number;
}

function reason(error: unknown): string {
  return isVaultProxyError(error) ? error.message : 'unexpected failure';
}

/** `folder/KEY` for messages. */
const pathOf = (ref: SecretRef) => `${ref.secretPath === '/' ? '' : ref.secretPath}/${ref.secretKey}`;

/**
 * Why Infisical's secret-detection policy refused a write, in words naming the policy, or
 * `undefined` when `error` is something else. The value is never part of it.
 * @internal
 */
export function policyRefusal(error: unknown, ref: SecretRef): string | undefined {
  const name = policyViolationOn(error);
  if (name === undefined) return undefined;
  return `Infisical's secret-detection policy refused to store ${pathOf(ref)} (${name}: the server's PARAMS_FOLDER_SECRET_DETECTION_PATHS cover this folder and the value looks like a secret). Keep the credentials in a folder the policy does not cover (--creds-path), or have the Infisical operator exempt this one`;
}

/** A secret write refused by the secret-detection policy, as a step failure that says so. @internal */
export function storeRefused(error: unknown, ref: SecretRef): VaultProxyError | undefined {
  const why = policyRefusal(error, ref);
  return why === undefined
    ? undefined
    : new VaultProxyError('PROVISION_STEP_FAILED', `${why}.`, {
        cause: isVaultProxyError(error) ? error : undefined,
        details: { policy: policyViolationOn(error), secretPath: ref.secretPath, secretKey: ref.secretKey },
      });
}

/**
 * Issue a client secret, store it at once (a new version when one is
 * stored), then prove a login with it. The secret exists only in memory
 * between issue and store. If storing or proving fails the new secret is
 * revoked at once; when a previous value had been overwritten it is written
 * back, so the latest stored version is the one that worked before.
 * @internal
 */
export async function issueStoreProve(
  client: InfisicalClient,
  credential: StoredCredential,
  options: { readonly description: string; readonly previous: Secret | undefined },
): Promise<IssuedAndStored> {
  const issued = await client.createClientSecret(credential.identityId, { description: options.description, ttl: 0, numUsesLimit: 0 });
  const id = issued.clientSecretData.id;
  let overwrote = false;
  let phase: 'store' | 'prove' = 'store';
  try {
    const write = { ...credential.secretRef, secretValue: issued.clientSecret, secretComment: commentFor(id) };
    // With nothing read before, a value stored meanwhile (a concurrent run) gets a new version rather than failing the store.
    const written = options.previous
      ? await client.updateSecret(write)
      : ((await client.createSecretIfAbsent(write)) ?? (await client.updateSecret(write)));
    overwrote = true;
    phase = 'prove';
    await client.login({ clientId: credential.clientId, clientSecret: issued.clientSecret });
    return { clientSecretData: issued.clientSecretData, version: written.version };
  } catch (error) {
    const cleanup: string[] = [];
    try {
      await client.revokeClientSecret(credential.identityId, id);
      cleanup.push(`the new client secret (id ${id}) was revoked`);
    } catch {
      cleanup.push(
        `the new client secret (id ${id}) could NOT be revoked yet: rerunning \`vault-provision onboard\` or \`rotate\` revokes it (every client secret that is not the stored one is)`,
      );
    }
    if (overwrote && options.previous) {
      cleanup.push(await restore(client, credential.secretRef, options.previous.secretValue, options.previous.secretComment));
    }
    const policy = phase === 'store' ? policyRefusal(error, credential.secretRef) : undefined;
    const what = policy ?? `${phase === 'store' ? 'Storing' : 'Proving a login with'} the new client secret failed (${reason(error)})`;
    throw new VaultProxyError('PROVISION_STEP_FAILED', `${what}; ${cleanup.join('; ')}.`, {
      cause: isVaultProxyError(error) ? error : undefined,
      details: { phase, clientSecretId: id, ...(policy ? { policy: policyViolationOn(error) } : {}) },
    });
  }
}

async function restore(client: InfisicalClient, ref: SecretRef, value: SecretValue, comment: string): Promise<string> {
  try {
    await client.updateSecret({ ...ref, secretValue: value, secretComment: comment });
    return 'the previously stored value was written back';
  } catch {
    return 'the previously stored value could NOT be written back: run `vault-provision rotate` again';
  }
}
