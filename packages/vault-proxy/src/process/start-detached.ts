import { spawn } from 'node:child_process';
import { chmodSync, closeSync, fstatSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { VaultProxyError, type VaultProxyErrorCode } from '../errors.js';
import { jsonBody, probeHttp, probeTargetFor } from './http-probe.js';
import { ensurePrivateDir, logFileFor, type PidFileContent, readPidFile } from './pid-file.js';
import { explainPortInUse } from './port-in-use.js';
import { HEALTH_PATH } from './proxy-status.js';
import { sleep } from './sleep.js';

/** Options of {@link startDetached}. */
export interface StartDetachedOptions {
  /** Program to run. Default `process.execPath` (node). */
  command?: string;
  /** Its arguments: a foreground `vault-proxy start …`. Never put a secret here: argv is visible in `ps`. */
  args: readonly string[];
  /** The pid file the child writes when it listens; readiness is read from it. */
  pidFile: string;
  /** Where the child's stdout and stderr go (appended, mode 0600). Default: the pid file with `.log`. */
  logFile?: string;
  /** The child's environment; secrets travel only here. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Working directory of the child. Default the current one. */
  cwd?: string;
  /** Milliseconds to wait for the child to answer its health endpoint. Default `15000`. */
  timeoutMs?: number;
  /** Values scrubbed from a log tail before it goes into an error (defence in depth). Default none. */
  redact?: readonly string[];
  /**
   * The address the child will listen on. When given (and the port is not
   * 0), a taken port is reported before anything is spawned, as the
   * `PORT_IN_USE` the child would give, naming the holder.
   */
  listen?: { readonly host: string; readonly port: number };
}

/** A detached proxy that answers its health endpoint. */
export interface DetachedProxy extends PidFileContent {
  /** Its pid file. */
  readonly pidFile: string;
  /** Its log file. */
  readonly logFile: string;
}

const POLL_MS = 100;
const TAIL_LINES = 15;

/** The log lines written since `offset` (this start only: the file is appended to). */
async function logTail(logFile: string, offset: number, redact: readonly string[]): Promise<string> {
  const text = (await readFile(logFile).catch(() => Buffer.alloc(0))).subarray(offset).toString('utf8');
  let tail = text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
  for (const value of redact) if (value.length >= 4) tail = tail.split(value).join('[redacted]');
  return tail;
}

/** Throws `PORT_IN_USE` (failure mode A, naming the holder) when `host:port` cannot be bound; other bind errors are left to the child. */
async function refuseTakenPort(host: string, port: number): Promise<void> {
  const taken = await new Promise<unknown>((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? error : undefined));
    probe.listen({ host, port }, () => probe.close(() => resolve(undefined)));
  });
  if (taken !== undefined) throw await explainPortInUse(port, host, taken);
}

/**
 * The child's own error, as its CLI printed it (`vault-proxy: error: …`
 * and the `  fix: …` line under it), so the parent reports that rather
 * than "it exited".
 */
function childError(tail: string): { message: string; fix?: string } | undefined {
  const lines = tail.split('\n');
  const at = lines.findLastIndex((l) => /^vault-proxy: (error: )?/.test(l) && !/warning:/.test(l));
  if (at < 0) return undefined;
  const message = (lines[at] as string).replace(/^vault-proxy: (error: )?/, '');
  const fix = /^ {2}fix: (.*)$/.exec(lines[at + 1] ?? '')?.[1];
  return { message, ...(fix === undefined ? {} : { fix }) };
}

/** The child exits with the CLI's exit codes; keep their meaning for the parent. */
function codeForExit(exitCode: number | null): VaultProxyErrorCode {
  if (exitCode === 2) return 'CONFIG_INVALID';
  if (exitCode === 3) return 'PORT_IN_USE';
  return 'LISTEN_FAILED';
}

/**
 * Start a proxy in the background: refuse a taken `listen` port up front,
 * spawn it detached with output to a log file next to the pid file, then
 * wait until it has written its pid file and its health endpoint answers.
 * When the child exits first, throws its own error (from its log) with its
 * exit code's meaning (exit 2 → `CONFIG_INVALID`, exit 3 → `PORT_IN_USE`,
 * else `LISTEN_FAILED`); after `timeoutMs` the child is stopped and
 * `LISTEN_FAILED` thrown.
 */
export async function startDetached(options: StartDetachedOptions): Promise<DetachedProxy> {
  const logFile = options.logFile ?? logFileFor(options.pidFile);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const redact = options.redact ?? [];
  if (options.listen !== undefined && options.listen.port !== 0) await refuseTakenPort(options.listen.host, options.listen.port);
  await ensurePrivateDir(dirname(options.pidFile));
  await ensurePrivateDir(dirname(logFile));
  const fd = openSync(logFile, 'a', 0o600);
  chmodSync(logFile, 0o600);
  const logOffset = fstatSync(fd).size;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const child = (() => {
    try {
      return spawn(options.command ?? process.execPath, [...options.args], {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: options.env ?? process.env,
        cwd: options.cwd,
      });
    } finally {
      closeSync(fd);
    }
  })();
  child.on('error', (error) => {
    spawnError = error;
  });
  child.on('exit', (code, signal) => {
    exit = { code, signal };
  });
  child.unref();

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawnError) {
      throw new VaultProxyError('LISTEN_FAILED', `Could not start the detached proxy: ${spawnError.message}.`, { cause: spawnError });
    }
    if (exit) {
      const how = exit.code === null ? `signal ${exit.signal}` : `code ${exit.code}`;
      const tail = await logTail(logFile, logOffset, redact);
      const own = childError(tail);
      const details = { exitCode: exit.code, logFile, hint: own?.fix ?? `Read ${logFile}, fix the cause and start again.` };
      const message = own
        ? `${own.message} (the detached proxy exited with ${how}; log: ${logFile})`
        : `The detached proxy exited with ${how} before it was ready. Last lines of ${logFile}:\n${tail}`;
      throw new VaultProxyError(codeForExit(exit.code), message, { details });
    }
    const content = child.pid === undefined ? undefined : await readPidFile(options.pidFile);
    if (content !== undefined && content.pid === child.pid) {
      const answer = await probeHttp(probeTargetFor(content.host, content.port), HEALTH_PATH, 1000);
      if (answer?.status === 200 && jsonBody(answer)?.status === 'ok') return { ...content, pidFile: options.pidFile, logFile };
    }
    await sleep(POLL_MS);
  }
  if (child.pid !== undefined && !exit) child.kill('SIGTERM');
  throw new VaultProxyError(
    'LISTEN_FAILED',
    `The detached proxy did not answer ${HEALTH_PATH} within ${timeoutMs} ms; it was stopped. See ${logFile}.`,
    { details: { logFile, hint: `Read ${logFile}.` } },
  );
}
