import { readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { VaultProxyError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';

function ioError(action: string, file: string, cause: unknown): VaultProxyError {
  const hint = 'Check that the directory exists and is writable by you.';
  return new VaultProxyError('MCP_CONFIG_IO', `Could not ${action} the MCP config ${file}. ${hint}`, { cause, details: { file, hint } });
}

/** The file's text, or `undefined` when it does not exist. @internal */
export async function readConfigText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError('read', file, error);
  }
}

/** The file's permission bits, or `undefined` when it does not exist. @internal */
export async function configMode(file: string): Promise<number | undefined> {
  const info = await stat(file).catch(() => undefined);
  return info === undefined ? undefined : info.mode & 0o777;
}

/** Atomically replace the file with `text`, mode 0600. @internal */
export async function writeConfigText(file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text, 0o600);
  } catch (error) {
    throw ioError('write', file, error);
  }
}

/** Delete the file. @internal */
export async function deleteConfigFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('remove', file, error);
  }
}

/**
 * Remove the folder of `file` (`.cursor/`, `.vscode/`) when it is empty and
 * is not `root` itself: enable created it for the file, and an empty client
 * folder is litter. Returns the folder when it was removed. @internal
 */
export async function removeEmptyConfigDir(file: string, root: string): Promise<string | undefined> {
  const dir = dirname(file);
  if (resolve(dir) === resolve(root)) return undefined;
  try {
    await rmdir(dir);
    return dir;
  } catch {
    // Not empty (the client keeps other files there), already gone, or not ours to remove: leave it.
    return undefined;
  }
}
