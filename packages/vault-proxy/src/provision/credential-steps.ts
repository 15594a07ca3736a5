import { SecretValue } from '../secret-value.js';
import { pathSegments } from './guardrails.js';
import type { StepOutcome } from './provision-run.js';
import {
  issueStoreProve,
  readStoredSecret,
  revokeOtherSecrets,
  type StoredCredential,
  storedSecretIds,
  storeRefused,
} from './secret-issuance.js';
import { credentialRef, type StepContext } from './step-context.js';

/** Steps 6, 7 and 5: credentials folder, stored client id, issued + stored + proved client secret. @internal */

/** Step 6: create each missing folder of the credentials path, top down (the runbook's "folder must exist"). */
export async function credsFolderStep(ctx: StepContext): Promise<StepOutcome> {
  const location = { workspaceId: ctx.connection.projectId, environment: ctx.target.environment };
  const segments = pathSegments(ctx.target.credsPath);
  const created: string[] = [];
  let parent = '/';
  for (const name of segments) {
    const path = `${parent === '/' ? '' : parent}/${name}`;
    // Below a folder that was missing, nothing can exist: no need to look.
    const exists = created.length === 0 && (await ctx.client.findFolder({ ...location, path: parent, name })) !== undefined;
    if (!exists) {
      // Created meanwhile by a concurrent run is as good as created here.
      if (ctx.run.mode === 'apply') await ctx.client.createFolderIfAbsent({ ...location, path: parent, name });
      created.push(path);
    }
    parent = path;
  }
  if (created.length === 0) {
    ctx.state.folderReady = true;
    return { status: 'already-done', detail: `folder ${ctx.target.credsPath} exists` };
  }
  ctx.state.folderReady = ctx.run.mode === 'apply';
  return ctx.run.mode === 'plan'
    ? { status: 'would-do', detail: `create folder(s) ${created.join(', ')}` }
    : { status: 'done', detail: `created folder(s) ${created.join(', ')}` };
}

/** Step 7a: store `<AGENT>_CLIENT_ID` (public); a stale stored value gets a new version. */
export async function storeClientIdStep(ctx: StepContext): Promise<StepOutcome> {
  const key = ctx.target.clientIdKey;
  const where = `${ctx.target.credsPath}/${key}`;
  if (ctx.state.clientId === undefined || !ctx.state.folderReady) return { status: 'would-do', detail: `store the client id as ${where}` };
  const clientId = ctx.state.clientId;
  const stored = await ctx.client.findSecret(credentialRef(ctx, key));
  if (stored && stored.secretValue.reveal() === clientId)
    return { status: 'already-done', detail: `${where} holds the client id (v${stored.version})` };
  if (ctx.run.mode === 'plan') return { status: 'would-do', detail: `${stored ? 'update' : 'store'} the client id as ${where}` };
  const write = { ...credentialRef(ctx, key), secretValue: new SecretValue(clientId), secretComment: 'universal-auth client id (public)' };
  try {
    // Stored meanwhile (or by a create retried after its answer was lost): a new version instead.
    const written = stored
      ? await ctx.client.updateSecret(write)
      : ((await ctx.client.createSecretIfAbsent(write)) ?? (await ctx.client.updateSecret(write)));
    return { status: 'done', detail: `${stored ? 'updated' : 'stored'} ${where} (v${written.version})` };
  } catch (error) {
    throw storeRefused(error, write) ?? error;
  }
}

function description(ctx: StepContext): string {
  return `${ctx.target.environment} ${ctx.now().toISOString().slice(0, 10)} (vault-provision)`;
}

/**
 * Step 5 (+7b): make sure a stored client secret exists and logs in. A stored
 * secret that works is kept (no new secret is issued); otherwise a new one is
 * issued, stored at once and proved. Either way every other non-revoked
 * client secret of the identity (an orphan nobody holds) is revoked.
 */
export async function clientSecretStep(ctx: StepContext): Promise<StepOutcome> {
  const where = `${ctx.target.credsPath}/${ctx.target.clientSecretKey}`;
  if (ctx.state.identityId === undefined || ctx.state.clientId === undefined || !ctx.state.folderReady) {
    return { status: 'would-do', detail: `issue a client secret, store it as ${where}, prove a login with it` };
  }
  const credential: StoredCredential = {
    identityId: ctx.state.identityId,
    clientId: ctx.state.clientId,
    secretRef: credentialRef(ctx, ctx.target.clientSecretKey),
  };
  const state = await readStoredSecret(ctx.client, credential);
  const secrets = await ctx.client.listClientSecrets(credential.identityId);
  if (state.works && state.stored) {
    const keep = storedSecretIds(state.stored, secrets);
    // A stored secret that logs in must be listed; if it is not, revoke nothing rather than guess.
    const orphans = keep.size === 0 ? [] : secrets.filter((s) => !s.isClientSecretRevoked && !keep.has(s.id));
    const current = secrets.find((s) => keep.has(s.id));
    if (current) {
      ctx.state.currentClientSecretId = current.id;
      ctx.state.currentClientSecretIssuedAt = current.createdAt;
    }
    if (orphans.length === 0) return { status: 'already-done', detail: `${where} (v${state.stored.version}) logs in` };
    if (ctx.run.mode === 'plan') {
      return { status: 'would-do', detail: `${where} logs in; revoke ${orphans.length} client secret(s) that are not stored` };
    }
    const revoked = await revokeOtherSecrets(ctx.client, credential.identityId, keep);
    return {
      status: 'done',
      detail: `${where} (v${state.stored.version}) logs in; revoked ${revoked} client secret(s) that were not stored`,
    };
  }
  const why = state.stored ? 'the stored client secret no longer logs in' : 'no client secret is stored';
  if (ctx.run.mode === 'plan') return { status: 'would-do', detail: `${why}: issue one, store it as ${where}, prove a login` };
  const issued = await issueStoreProve(ctx.client, credential, { description: description(ctx), previous: state.stored });
  ctx.state.currentClientSecretId = issued.clientSecretData.id;
  ctx.state.currentClientSecretIssuedAt = issued.clientSecretData.createdAt || ctx.now().toISOString();
  const revoked = await revokeOtherSecrets(ctx.client, credential.identityId, new Set([issued.clientSecretData.id]));
  const orphanText = revoked > 0 ? `; revoked ${revoked} other client secret(s)` : '';
  return {
    status: 'done',
    detail: `${why}: issued client secret ${issued.clientSecretData.id}, stored as ${where} v${issued.version}, login proved${orphanText}`,
  };
}
