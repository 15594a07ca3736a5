import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isRotationDue,
  parseRotationManifest,
  type RotationManifestEntry,
  readRotationManifest,
  upsertManifestEntry,
  writeRotationManifest,
} from '../../src/identity/rotation-manifest.js';

const entry: RotationManifestEntry = {
  identityName: 'agent-a',
  identityId: 'id-a',
  clientId: 'client-a',
  projectId: 'project',
  environment: 'prod',
  credsPath: '/MooseQuest/identities/agent-a',
  clientIdKey: 'A_CLIENT_ID',
  clientSecretKey: 'A_CLIENT_SECRET',
  rotationIntervalDays: 30,
  lastRotatedAt: '2026-06-20T15:31:00.000Z',
  currentClientSecretId: 'cs-1',
};

const scratch = () => mkdtempSync(join(tmpdir(), 'manifest-'));

describe('rotation manifest', () => {
  it('round-trips through an atomic 0600 write, leaving no temp file', async () => {
    const dir = scratch();
    const path = join(dir, 'rotation.json');
    await writeRotationManifest(path, { version: 1, identities: [entry] });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['rotation.json']);
    expect(await readRotationManifest(path)).toEqual({ version: 1, identities: [entry] });
  });

  it('a missing file is empty only when asked for', async () => {
    const path = join(scratch(), 'none.json');
    expect(await readRotationManifest(path, { missingOk: true })).toEqual({ version: 1, identities: [] });
    await expect(readRotationManifest(path)).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });

  it.each([
    [{ version: 2, identities: [] }, 'version'],
    [{ version: 1 }, 'identities'],
    [{ version: 1, identities: [], secrets: {} }, 'secrets'],
    [{ version: 1, identities: [{ ...entry, clientSecret: 'x' }] }, 'identities[0].clientSecret'],
    [{ version: 1, identities: [{ ...entry, rotationIntervalDays: 0 }] }, 'identities[0].rotationIntervalDays'],
    [{ version: 1, identities: [{ ...entry, lastRotatedAt: 'soon' }] }, 'identities[0].lastRotatedAt'],
    [{ version: 1, identities: [entry, entry] }, 'identities[1].identityName'],
  ])('rejects %j naming %s', (data, field) => {
    expect(() => parseRotationManifest(data, 'm.json')).toThrow(
      expect.objectContaining({ code: 'MANIFEST_INVALID', details: { field, path: 'm.json' } }),
    );
  });

  it('rejects a file that is not JSON', async () => {
    const path = join(scratch(), 'bad.json');
    writeFileSync(path, '{ not json');
    await expect(readRotationManifest(path)).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    expect(readFileSync(path, 'utf8')).toBe('{ not json');
  });

  it('upserts by identity name and says whether anything changed', () => {
    const empty = { version: 1 as const, identities: [] };
    const added = upsertManifestEntry(empty, entry);
    expect(added).toMatchObject({ changed: true, manifest: { identities: [entry] } });
    expect(upsertManifestEntry(added.manifest, { ...entry }).changed).toBe(false);
    const moved = upsertManifestEntry(added.manifest, { ...entry, currentClientSecretId: 'cs-2' });
    expect(moved.manifest.identities).toEqual([{ ...entry, currentClientSecretId: 'cs-2' }]);
  });

  it('is due once the interval has passed', () => {
    expect(isRotationDue(entry, new Date('2026-07-20T15:30:59Z'))).toBe(false);
    expect(isRotationDue(entry, new Date('2026-07-20T15:31:00Z'))).toBe(true);
  });
});
