import {
  type RotationManifestEntry,
  readRotationManifest,
  upsertManifestEntry,
  writeRotationManifest,
} from '../identity/rotation-manifest.js';
import type { StepOutcome } from './provision-run.js';
import type { StepContext } from './step-context.js';

/**
 * Step 12: add or refresh the identity's rotation-manifest entry (ids and
 * paths only). `lastRotatedAt` moves only when the current client secret changed.
 * @internal
 */
export async function manifestStep(ctx: StepContext, path: string | undefined, intervalDays: number | undefined): Promise<StepOutcome> {
  if (path === undefined) return { status: 'skipped', detail: 'no --manifest given' };
  const manifest = await readRotationManifest(path, { missingOk: true });
  const { identityId, clientId, currentClientSecretId } = ctx.state;
  if (identityId === undefined || clientId === undefined || currentClientSecretId === undefined) {
    if (ctx.run.mode === 'plan') return { status: 'would-do', detail: `register ${ctx.target.identityName} in ${path}` };
    return {
      status: 'skipped',
      detail: 'the stored client secret matches no listed client secret id; run `vault-provision rotate`, then register',
    };
  }
  const previous = manifest.identities.find((e) => e.identityName === ctx.target.identityName);
  const entry: RotationManifestEntry = {
    identityName: ctx.target.identityName,
    identityId,
    clientId,
    projectId: ctx.connection.projectId,
    environment: ctx.target.environment,
    credsPath: ctx.target.credsPath,
    clientIdKey: ctx.target.clientIdKey,
    clientSecretKey: ctx.target.clientSecretKey,
    rotationIntervalDays: intervalDays ?? previous?.rotationIntervalDays ?? 30,
    lastRotatedAt:
      previous?.currentClientSecretId === currentClientSecretId
        ? previous.lastRotatedAt
        : ctx.state.currentClientSecretIssuedAt || ctx.now().toISOString(),
    currentClientSecretId,
  };
  const next = upsertManifestEntry(manifest, entry);
  if (!next.changed) return { status: 'already-done', detail: `${path} lists ${ctx.target.identityName}` };
  if (ctx.run.mode === 'plan')
    return { status: 'would-do', detail: `${previous ? 'update' : 'add'} ${ctx.target.identityName} in ${path}` };
  await writeRotationManifest(path, next.manifest);
  return {
    status: 'done',
    detail: `${previous ? 'updated' : 'added'} ${ctx.target.identityName} in ${path} (every ${entry.rotationIntervalDays} days)`,
  };
}
