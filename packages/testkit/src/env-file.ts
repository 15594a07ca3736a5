import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Write `KEY=VALUE` lines atomically (temp file in the same directory, then rename) with mode 0600,
 * since the file carries credentials. Keys must be shell-style names; values must be single-line.
 */
export async function writeEnvFile(path: string, env: Record<string, string>): Promise<void> {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!KEY.test(key)) throw new TypeError(`writeEnvFile: invalid variable name ${JSON.stringify(key)}`);
    if (/[\r\n]/.test(value)) throw new TypeError(`writeEnvFile: the value of ${key} spans several lines`);
    lines.push(`${key}=${value}`);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${lines.join('\n')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
