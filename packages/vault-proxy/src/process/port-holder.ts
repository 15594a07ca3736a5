import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import { promisify } from 'node:util';
import { isVaultProxyArgs, readProcessArgs } from './process-identity.js';

const execFileAsync = promisify(execFile);

/** The process that holds a TCP listen port. */
export interface PortHolder {
  /** Its process id. */
  readonly pid: number;
  /** Its short program name (as `lsof` shows it), e.g. `node` or `python3`; never its arguments. */
  readonly command: string;
  /** Whether it is a vault-proxy (see {@link isVaultProxyProcess}). */
  readonly isVaultProxy: boolean;
}

interface ListenSocket {
  readonly address: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly inode: string;
}

const LISTEN_STATE = '0A';

/** `/proc/net/tcp` stores each 32-bit word in host (little-endian) order. */
function decodeProcAddress(hex: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const words = hex.match(/.{8}/g);
  if (!words) return undefined;
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => Number.parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return { address: bytes.join('.'), family: 'ipv4' };
  if (bytes.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return { address: groups.join(':'), family: 'ipv6' };
}

async function listenSockets(port: number): Promise<ListenSocket[] | undefined> {
  const found: ListenSocket[] = [];
  let readable = false;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
      readable = true;
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [hexAddress, hexPort] = (cols[1] ?? '').split(':');
      const inode = cols[9];
      if (cols[3] !== LISTEN_STATE || !hexAddress || !hexPort || !inode || inode === '0') continue;
      if (Number.parseInt(hexPort, 16) !== port) continue;
      const decoded = decodeProcAddress(hexAddress);
      if (decoded) found.push({ ...decoded, inode });
    }
  }
  return readable ? found : undefined;
}

/** Whether a listener on `socket` blocks binding `host` (same address, or a wildcard one). */
function blocks(socket: ListenSocket, host: string | undefined): boolean {
  if (host === undefined) return true;
  const unspecified = socket.family === 'ipv4' ? '0.0.0.0' : '0:0:0:0:0:0:0:0';
  if (socket.address === unspecified) return true;
  const wanted = host.replace(/^\[|\]$/g, '');
  const names = wanted === 'localhost' ? ['127.0.0.1', '::1'] : [wanted];
  return names.some((name) => {
    const type = isIP(name);
    if (type === 0) return true; // a name we do not resolve here: any listener on the port may be it
    const list = new BlockList();
    list.addAddress(name, type === 4 ? 'ipv4' : 'ipv6');
    return list.check(socket.address, socket.family);
  });
}

async function pidOfInodes(inodes: ReadonlySet<string>): Promise<number | undefined> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      const match = /^socket:\[(\d+)\]$/.exec(link);
      if (match?.[1] && inodes.has(match[1])) return Number(entry);
    }
  }
  return undefined;
}

async function shortName(pid: number): Promise<string> {
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
  return comm.trim() || 'unknown';
}

function holder(pid: number, command: string): PortHolder {
  const args = readProcessArgs(pid);
  return { pid, command, isVaultProxy: args !== undefined && isVaultProxyArgs(args) };
}

async function fromProcfs(port: number, host: string | undefined): Promise<PortHolder | undefined | null> {
  const sockets = await listenSockets(port);
  if (sockets === undefined) return null; // no procfs: let the tools try
  const inodes = new Set(sockets.filter((s) => blocks(s, host)).map((s) => s.inode));
  if (inodes.size === 0) return undefined;
  const pid = await pidOfInodes(inodes);
  return pid === undefined ? null : holder(pid, await shortName(pid));
}

async function fromLsof(port: number): Promise<PortHolder | undefined> {
  const { stdout } = await execFileAsync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { timeout: 3000 });
  const pid = /^p(\d+)$/m.exec(stdout)?.[1];
  const command = /^c(.+)$/m.exec(stdout)?.[1];
  return pid ? holder(Number(pid), command ?? 'unknown') : undefined;
}

async function fromSs(port: number): Promise<PortHolder | undefined> {
  const { stdout } = await execFileAsync('ss', ['-ltnpH', `sport = :${port}`], { timeout: 3000 });
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(stdout);
  return match?.[1] && match[2] ? holder(Number(match[2]), match[1]) : undefined;
}

/**
 * Who holds a TCP listen port (docs/runbook.md §Failure mode A, `lsof -i :2019`):
 * `/proc/net/tcp{,6}` → socket inode → the process whose fd links to it;
 * else `lsof`, else `ss`. `host` narrows to listeners that block binding
 * that address. `undefined` when nobody listens or the holder cannot be
 * seen (for example another user's process).
 */
export async function findPortHolder(port: number, host?: string): Promise<PortHolder | undefined> {
  const procfs = await fromProcfs(port, host).catch(() => null);
  if (procfs !== null) return procfs;
  for (const tool of [fromLsof, fromSs]) {
    try {
      const found = await tool(port);
      if (found) return found;
    } catch {
      // tool missing or not allowed: try the next
    }
  }
  return undefined;
}
