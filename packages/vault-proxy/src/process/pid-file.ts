import { lstat, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { VaultProxyError } from '../errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { Env } from '../settings/env.js';
import { SETTINGS } from '../settings/settings-table.js';
import { utcTimestamp } from '../utc-timestamp.js';

/** The environment variable that overrides the pid file location. */
export const PID_FILE_ENV = SETTINGS.pidFile.env;

/**
 * What a running proxy records about itself. Deliberately free of
 * credentials: anyone who can read the runtime directory may read it.
 */
export interface PidFileContent {
  /** Process id of the proxy. */
  readonly pid: number;
  /** The bound address. */
  readonly host: string;
  /** The bound port (the real one when `0` was asked for). */
  readonly port: number;
  /** `http://host:port` of the proxy. */
  readonly url: string;
  /** The upstream origin it forwards to. */
  readonly upstream: string;
  /** ISO-8601 start time (UTC). */
  readonly startedAt: string;
}

/**
 * Where the pid files of this user live when nothing overrides it:
 * `$XDG_RUNTIME_DIR/vault-proxy/`, else `<TMPDIR>/vault-proxy-<uid>/`
 * (`TMPDIR` read from `env`, then the system's temp directory).
 */
export function pidDirectory(env: Env = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && runtime.trim() !== '') return join(runtime, 'vault-proxy');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const temp = env.TMPDIR?.trim() || tmpdir();
  return join(temp, `vault-proxy-${uid}`);
}

/**
 * The default pid file of the proxy on `port`: one per port, under
 * `$XDG_RUNTIME_DIR/vault-proxy/`, else `<tmpdir>/vault-proxy-<uid>/`.
 * Pure: the directory is created (mode 0700) only when a pid file is written.
 */
export function defaultPidFile(port: number, env: Env = process.env): string {
  return join(pidDirectory(env), `vault-proxy-${port}.pid`);
}

/** Options of {@link resolvePidFile}. */
export interface ResolvePidFileOptions {
  /** An explicit pid file path (a `--pid-file` flag). Default: `VAULT_PROXY_PID_FILE`, then {@link defaultPidFile}. */
  pidFile?: string;
  /** The proxy's port, which names the default file. */
  port: number;
}

/**
 * The pid file to use, resolved the same way by every command (start,
 * stop, status, doctor): explicit path, then `VAULT_PROXY_PID_FILE`, then
 * the per-port default. Relative paths are taken from the working directory.
 */
export function resolvePidFile(options: ResolvePidFileOptions, env: Env = process.env): string {
  const explicit = options.pidFile?.trim() || env[PID_FILE_ENV]?.trim();
  return explicit ? resolve(explicit) : defaultPidFile(options.port, env);
}

/** The log file of a detached proxy: next to its pid file. */
export function logFileFor(pidFile: string): string {
  return pidFile.endsWith('.pid') ? `${pidFile.slice(0, -4)}.log` : `${pidFile}.log`;
}

/**
 * Create the pid file's directory (mode 0700) and refuse one another user
 * could tamper with: a shared temp directory is a classic symlink trap.
 * @internal
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const foreignOwner = uid !== undefined && info.uid !== uid && info.uid !== 0;
  const openToOthers = (info.mode & 0o002) !== 0 && (info.mode & 0o1000) === 0;
  if (!info.isDirectory() || foreignOwner || openToOthers) {
    throw new VaultProxyError(
      'CONFIG_INVALID',
      `${PID_FILE_ENV}: the directory ${dir} is not a private directory of this user. Remove it or point ${PID_FILE_ENV} elsewhere.`,
      { details: { field: PID_FILE_ENV, hint: `Remove ${dir} or set ${PID_FILE_ENV} to a file in a directory you own.` } },
    );
  }
}

/**
 * Write the pid file atomically (temporary file, then rename) with mode
 * 0600, so a reader never sees half a file. `startedAt` defaults to now.
 */
export async function writePidFile(
  path: string,
  content: Omit<PidFileContent, 'startedAt'> & { readonly startedAt?: string },
): Promise<void> {
  await ensurePrivateDir(dirname(path));
  const record: PidFileContent = { ...content, startedAt: content.startedAt ?? utcTimestamp() };
  await writeFileAtomic(path, `${JSON.stringify(record)}\n`, 0o600);
}

function isPidFileContent(value: unknown): value is PidFileContent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Number.isInteger(v.pid) &&
    (v.pid as number) > 0 &&
    typeof v.host === 'string' &&
    Number.isInteger(v.port) &&
    typeof v.url === 'string' &&
    typeof v.upstream === 'string' &&
    typeof v.startedAt === 'string'
  );
}

/** What a pid file path holds: nothing, something that is not a vault-proxy pid file, or one. */
export type PidFileReading =
  | { readonly state: 'missing' }
  | { readonly state: 'invalid' }
  | { readonly state: 'valid'; readonly content: PidFileContent };

/**
 * Read a pid file, telling a missing file from one that is not a vault-proxy
 * pid file (garbage, truncated, someone else's): `stop` must not report the
 * second as "no pid file".
 */
export async function inspectPidFile(path: string): Promise<PidFileReading> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isPidFileContent(parsed) ? { state: 'valid', content: parsed } : { state: 'invalid' };
  } catch {
    return { state: 'invalid' };
  }
}

/** Read a pid file; `undefined` when it is missing or not a vault-proxy pid file. */
export async function readPidFile(path: string): Promise<PidFileContent | undefined> {
  const reading = await inspectPidFile(path);
  return reading.state === 'valid' ? reading.content : undefined;
}

const DEFAULT_PID_FILE_NAME = /^vault-proxy-\d+\.pid$/;

/**
 * Every per-port pid file in the pid directory ({@link pidDirectory}),
 * whatever its port: the proxies this user started without a `--pid-file`.
 * Empty when the directory does not exist.
 */
export async function listPidFiles(env: Env = process.env): Promise<string[]> {
  const dir = pidDirectory(env);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((name) => DEFAULT_PID_FILE_NAME.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Remove the pid file, but only while it still names `pid`: a newer proxy
 * that took over the file is left alone. Returns whether it was removed.
 */
export async function removePidFile(path: string, pid: number): Promise<boolean> {
  const content = await readPidFile(path);
  if (content?.pid !== pid) return false;
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
