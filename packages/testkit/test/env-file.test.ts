import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEnvFile } from '../src/index.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('env-file-test-');

describe('writeEnvFile', () => {
  it('writes KEY=VALUE lines with mode 0600, replacing an existing file', async () => {
    const path = join(tempDir(), 'vault.env');
    await writeFile(path, 'OLD=1\n', { mode: 0o644 });
    await writeEnvFile(path, { A: '1', B_2: 'https://vault.raxx.app' });
    expect(await readFile(path, 'utf8')).toBe('A=1\nB_2=https://vault.raxx.app\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(tempDir())).toEqual(['vault.env']);
  });

  it('rejects bad names and multi-line values without writing, never echoing the value', async () => {
    const path = join(tempDir(), 'vault.env');
    await expect(writeEnvFile(path, { 'BAD-NAME': 'x' })).rejects.toThrow(/BAD-NAME/);
    const err = await writeEnvFile(path, { OK: 'line1\nsecret-canary' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(String((err as Error).message)).not.toContain('secret-canary');
    expect(await readdir(tempDir())).toEqual([]);
  });
});
