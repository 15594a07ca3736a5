import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeVault } from '@raxx/vault-testkit';
import { freePort } from '@raxx/vault-testkit';

/** The built bin. Tests run against `dist/`, as a user would. */
export const BIN = fileURLToPath(new URL('../dist/vault-proxy.cjs', import.meta.url));

/** The values that must never appear in any output or file but their intended place. */
export function canaries(fake: FakeVault): string[] {
  return [fake.env.CF_ACCESS_CLIENT_SECRET, fake.env.INFISICAL_CLIENT_SECRET, fake.env.INFISICAL_MCP_CLIENT_SECRET].filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
}

/** The process environment without anything vault-related, so tests are hermetic. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VAULT_|CF_ACCESS_|INFISICAL_|XDG_RUNTIME_DIR$)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * What the proxy needs to reach the fake vault, plus a private pid file and
 * a private runtime directory: an emergency stop (which stops every proxy of
 * its runtime directory) run by any test then never reaches this one.
 */
export function proxyEnv(fake: FakeVault, pidFile: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    CF_ACCESS_CLIENT_ID: fake.env.CF_ACCESS_CLIENT_ID ?? '',
    CF_ACCESS_CLIENT_SECRET: fake.env.CF_ACCESS_CLIENT_SECRET ?? '',
    VAULT_PROXY_UPSTREAM: fake.env.VAULT_PROXY_UPSTREAM ?? '',
    VAULT_PROXY_CONNECT_TO: fake.env.VAULT_PROXY_CONNECT_TO ?? '',
    VAULT_PROXY_CA_FILE: fake.env.VAULT_PROXY_CA_FILE ?? '',
    VAULT_PROXY_PID_FILE: pidFile,
    VAULT_PROXY_PORT: '0',
    XDG_RUNTIME_DIR: dirname(pidFile),
    ...extra,
  });
}

/** A finished CLI run. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the CLI to completion. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}

/** A long-running CLI (start, demo) whose output is collected as it comes. */
export interface LiveCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout match of `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
}

const live = new Set<ChildProcess>();

/** Start the CLI and keep it running. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv): LiveCli {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const closed = once(child, 'close').then(([code]) => {
    live.delete(child);
    return code as number | null;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) {
            child.stdout?.off('data', check);
            resolve(match);
          }
        };
        child.stdout?.on('data', check);
        check();
        closed.then(() => reject(new Error(`exited before printing ${pattern}; stdout: ${out}; stderr: ${err}`)));
      }),
    exited: () => closed,
  };
}

/** Kill whatever a test left running. */
export function killLive(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** A fresh private temp directory. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vp-cli-'));
}

/** An HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** A request to the proxy, as a client such as curl or the MCP server makes it (default Host, no browser headers). */
export function httpRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Read a file, or '' when it does not exist. */
export async function readOrEmpty(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

/** Assert that none of `secrets` occurs in any of `texts`; names the text that leaked. */
export function leaks(secrets: readonly string[], texts: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, text] of Object.entries(texts)) for (const s of secrets) if (text.includes(s)) found.push(name);
  return found;
}

/** A loopback port nothing listens on (shared with the other packages' tests). */
export { freePort };
