import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocBlock, DocCommand, Where } from './markdown-commands.js';

/** An operator's terminal, as the documents assume it: its environment and its three places. */
export interface DocSession {
  /** The exported environment; each block's exports carry over to the next, as in one shell. */
  env: Record<string, string>;
  /** Where each kind of block is typed. */
  readonly dirs: Readonly<Record<Where, string>>;
  /** Scratch space for the runner. */
  readonly scratch: string;
}

/** What one documented command did. */
export interface CommandRun {
  readonly command: DocCommand;
  /** Exit status; `null` when a signal ended it. */
  readonly code: number | null;
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const BLOCK_TIMEOUT_MS = 120_000;
/** Variables bash keeps for itself; never carried over. */
const SHELL_OWN = new Set(['_', 'PWD', 'OLDPWD', 'SHLVL']);

function parseEnv(raw: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of raw.split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && !SHELL_OWN.has(pair.slice(0, eq))) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** Run `bash script args…` to its end (killed after the block timeout); resolves its exit. */
async function bash(script: string, args: readonly string[], session: DocSession, cwd: string) {
  const child = spawn('bash', ['--noprofile', '--norc', script, ...args], { cwd, env: session.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), BLOCK_TIMEOUT_MS);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, output };
}

/**
 * Run a block's commands one after the other in one bash, in the block's
 * directory, as an operator pasting them would: a failing command does not
 * stop the next; shell variables live through the block, exported ones
 * through the session. Each command's exit status and output are kept.
 */
export async function runBlock(session: DocSession, block: DocBlock): Promise<CommandRun[]> {
  const dir = session.dirs[block.where as Where];
  const out = await mkdtemp(join(session.scratch, 'block-'));
  const lines = ['__doc_out="$1"', 'cd -- "$2" || exit 97'];
  block.commands.forEach((c, i) => {
    lines.push('{', c.text, `} >"$__doc_out/${i}.out" 2>"$__doc_out/${i}.err"`, `printf '%s' "$?" >"$__doc_out/${i}.rc"`);
  });
  lines.push('env -0 >"$__doc_out/env"');
  const script = join(out, 'block.sh');
  await writeFile(script, `${lines.join('\n')}\n`);
  const ran = await bash(script, [out, dir], session, dir);
  const runs: CommandRun[] = [];
  for (const [i, command] of block.commands.entries()) {
    const read = (ext: string) => readFile(join(out, `${i}.${ext}`), 'utf8').catch(() => '');
    const rc = await read('rc');
    runs.push({
      command,
      code: rc === '' ? null : Number(rc),
      stdout: await read('out'),
      stderr: (await read('err')) || (rc === '' ? `(never finished: ${ran.code ?? ran.signal}) ${ran.output}` : ''),
    });
  }
  const env = await readFile(join(out, 'env'), 'utf8').catch(() => undefined);
  if (env !== undefined) session.env = parseEnv(env);
  return runs;
}

/**
 * Run a command that runs until Ctrl-C (`until` blocks): start it in its own
 * process group, wait until its output matches, then send SIGINT to the
 * group, as a terminal's Ctrl-C does, and wait for it to end.
 */
export async function runUntil(
  session: DocSession,
  block: DocBlock,
  timeoutMs = BLOCK_TIMEOUT_MS,
): Promise<CommandRun & { ready: boolean }> {
  const command = block.commands[0] as DocCommand;
  const dir = session.dirs[block.where as Where];
  const child = spawn('bash', ['--noprofile', '--norc', '-c', command.text], {
    cwd: dir,
    env: session.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const check = () => {
      if (block.until?.test(stdout + stderr)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      check();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      check();
    });
    closed.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  const group = -(child.pid as number);
  try {
    process.kill(group, 'SIGINT');
  } catch {
    // already gone
  }
  const killer = setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }, 30_000);
  const [code, signal] = await closed;
  clearTimeout(killer);
  return { command, code, signal, stdout, stderr, ready };
}

/** Make the session's three places: a git work tree for the agent, a plain directory elsewhere. */
export async function sessionDirs(root: string, clone: string): Promise<Record<Where, string>> {
  const repo = join(root, 'agent-repo');
  const any = join(root, 'elsewhere');
  await mkdir(any, { recursive: true });
  await mkdir(repo, { recursive: true });
  const git = spawn('git', ['-c', 'init.defaultBranch=main', 'init', '-q', repo], { stdio: 'ignore' });
  const [code] = (await once(git, 'close')) as [number | null];
  if (code !== 0) throw new Error(`git init ${repo} failed (${code})`);
  return { clone, repo, any };
}
