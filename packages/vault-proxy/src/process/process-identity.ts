import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * The name that marks a vault-proxy process: the bin (`vault-proxy`) or
 * its script (`vault-proxy.cjs`, or `.js`/`.mjs`), as the program or as the script a
 * runtime such as node runs.
 */
export const VAULT_PROXY_PROCESS_MARKER = 'vault-proxy';

const MARKER_FILE = new RegExp(`^${VAULT_PROXY_PROCESS_MARKER}(\\.[cm]?js)?$`);

/**
 * Whether a process exists and is not a zombie. A pid owned by another
 * user counts as alive (`EPERM`).
 * @internal
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command, which may itself hold ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * A process's argument vector: `/proc/<pid>/cmdline`, else `ps`. `undefined`
 * when the process is gone or cannot be inspected.
 * @internal
 */
export function readProcessArgs(pid: number): string[] | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const args = raw.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
    return args.length > 0 && args.some((a) => a !== '') ? args : undefined;
  } catch {
    // no procfs (macOS) or the process is gone: ask ps
  }
  try {
    const out = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = out.trim();
    return line === '' ? undefined : line.split(/\s+/);
  } catch {
    return undefined;
  }
}

/**
 * Whether an argument vector is a vault-proxy's: the program itself, or the
 * first non-option argument of an interpreter (node), is named
 * `vault-proxy` / `vault-proxy.cjs` (or `.js`, `.mjs`). Only those two places count, so an
 * editor or `grep` with "vault-proxy" in its arguments is never mistaken
 * for the proxy.
 * @internal
 */
export function isVaultProxyArgs(args: readonly string[]): boolean {
  const [program, ...rest] = args;
  if (program === undefined) return false;
  // A process title set to "vault-proxy …" arrives as one string.
  const programName = basename(program.split(' ')[0] ?? '');
  if (MARKER_FILE.test(programName)) return true;
  const script = rest.find((a) => !a.startsWith('-'));
  return script !== undefined && MARKER_FILE.test(basename(script));
}

/**
 * Whether `pid` is a running vault-proxy. Checked before any signal is sent,
 * so a pid that the system has reused for something else is never killed.
 */
export function isVaultProxyProcess(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  const args = readProcessArgs(pid);
  return args !== undefined && isVaultProxyArgs(args);
}
