import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { VaultProxyError } from '@raxx/vault-proxy';
import { type CpuPlan, pinnedCommand } from './cpu-plan.js';
import { processTree } from './rss.js';

/** How to run one server process (the upstream, the proxy or a peer). */
export interface ServiceSpec {
  /** Short name for messages. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly plan: CpuPlan;
  readonly cpus: readonly number[];
  /** stdout and stderr go here (a pipe could fill up and stall the server). */
  readonly logFile: string;
  /** The loopback port it listens on; ready means a TCP connect succeeds. */
  readonly port: number;
  /** Default 15000. */
  readonly readyTimeoutMs?: number;
}

/** A started server process. */
export interface RunningService {
  readonly pid: number;
  /** Milliseconds from spawn to the first accepted TCP connection. */
  readonly listenMs: number;
  /** When `spawn` was called (`performance.now()` clock). */
  readonly spawnedAt: number;
  /** SIGTERM, then SIGKILL of the whole tree after 5 s. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Leave no server behind if the bench itself dies or is interrupted. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of live) if (child.pid !== undefined) for (const pid of processTree(child.pid)) killQuietly(pid, 'SIGKILL');
  };
  process.once('exit', killAll);
  // A signal skips 'exit' handlers: stop the servers, then die as the signal asked.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(code);
    });
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-6).join('\n').trim();
  } catch {
    return '';
  }
}

/** Spawn a server (pinned per the plan) and wait until its port accepts connections. */
export async function startService(spec: ServiceSpec): Promise<RunningService> {
  installExitHook();
  const [command, args] = pinnedCommand(spec.plan, spec.cpus, spec.command, spec.args);
  const log = openSync(spec.logFile, 'a');
  const spawnedAt = performance.now();
  const child = spawn(command, args, { env: spec.env ?? process.env, stdio: ['ignore', log, log] });
  closeSync(log);
  live.add(child);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      live.delete(child);
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (exited || spawnError || child.pid === undefined) return;
    const tree = processTree(child.pid);
    child.kill('SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) for (const pid of tree) killQuietly(pid, 'SIGKILL');
    await exit;
  };
  const deadline = spawnedAt + (spec.readyTimeoutMs ?? 15_000);
  for (;;) {
    if (spawnError || exited) {
      const why = spawnError ? spawnError.message : `exited with ${exited?.code ?? exited?.signal}`;
      throw new VaultProxyError('LISTEN_FAILED', `${spec.name} did not start (${why}). Its log: ${spec.logFile}\n${tail(spec.logFile)}`);
    }
    if (await tryConnect(spec.port)) break;
    if (performance.now() > deadline) {
      await stop();
      throw new VaultProxyError('LISTEN_FAILED', `${spec.name} did not listen on 127.0.0.1:${spec.port} in time. Its log: ${spec.logFile}`);
    }
    await sleep(2);
  }
  const listenMs = performance.now() - spawnedAt;
  return { pid: child.pid as number, listenMs, spawnedAt, stop };
}
