import { type CliContext, envHelp, operatorPath, settingDescribe } from '@raxx/cli-kit';
import { createProxy, resolveProxyOptions } from '@raxx/vault-proxy';
import { resolvePidFile, startDetached } from '@raxx/vault-proxy/process';
import type { Argv } from 'yargs';
import { proxyOptionsFrom, START_SETTINGS, withProxyFlags } from '../proxy-flags.js';
import { describeRoute, serveUntilSignal } from '../serve.js';
import { probeAfterStart, vaultWarning } from '../start-probe.js';

/** Flags of `vault-proxy start` beyond the proxy's own. */
export interface StartArgs {
  readonly detach?: boolean;
  /** Set by `--detach` on the child it spawns: its output goes to a log, not a terminal. */
  readonly detachedChild?: boolean;
  readonly pidFile?: string;
  readonly json?: boolean;
  readonly [flag: string]: unknown;
}

/** yargs builder of `start`. */
export function startBuilder<T>(y: Argv<T>): Argv<T> {
  return withProxyFlags(y)
    .option('detach', { type: 'boolean', describe: 'run in the background (log next to the pid file); returns once it answers' })
    .option('pid-file', { type: 'string', describe: settingDescribe('pidFile', 'pid file') })
    .option('json', { type: 'boolean', describe: 'with --detach: print the result as JSON' })
    .option('detached-child', { type: 'boolean', hidden: true })
    .epilogue(envHelp('vault-proxy', [...START_SETTINGS, 'cfAccessClientId', 'cfAccessClientSecret', 'pidFile'])) as Argv<T>;
}

/** The argv of the foreground child a `--detach` start spawns: the same command without `--detach`, marked as the child. */
function childArgs(): string[] {
  const args: string[] = [];
  const given = process.argv.slice(2);
  for (let i = 0; i < given.length; i++) {
    const arg = given[i] as string;
    if (/^--detach(=.*)?$/.test(arg) || arg === '--json') {
      if (arg === '--detach' && /^(true|false)$/.test(given[i + 1] ?? '')) i++;
      continue;
    }
    args.push(arg);
  }
  return [...process.execArgv, process.argv[1] as string, ...args, '--detached-child'];
}

/** `vault-proxy start`: foreground until SIGINT/SIGTERM, or `--detach`. */
export async function startCommand(argv: StartArgs, { output }: CliContext): Promise<number> {
  const { say, sayJson, warn } = output;
  const options = proxyOptionsFrom(argv);
  const resolved = resolveProxyOptions(options, process.env);
  const pidFile = resolvePidFile({ pidFile: operatorPath(argv.pidFile), port: resolved.port });
  const stopHint = (port: number) => `vault-proxy stop --port ${port}${argv.pidFile ? ` --pid-file ${pidFile}` : ''}`;
  if (argv.detach) {
    // The foreground proxy logs this warning itself; detached, its log goes to a file.
    if (!resolved.isLoopbackBind) {
      warn(`binding ${resolved.host}, which is not loopback: anyone who reaches it can use the vault credentials. Prefer 127.0.0.1.`);
    }
    const started = await startDetached({
      args: childArgs(),
      pidFile,
      env: process.env,
      redact: resolved.connection.cloudflare ? [resolved.connection.cloudflare.clientSecret.reveal()] : [],
      listen: { host: resolved.host, port: resolved.port },
    });
    if (!argv.json) {
      say(`vault-proxy started in the background: pid ${started.pid}, ${started.url} → ${started.upstream}`);
      say(`  log: ${started.logFile}`);
      say(`  stop: ${stopHint(started.port)}`);
    }
    // The detached child's terminal is its log: the parent asks the vault through it, and warns here.
    const vault = await probeAfterStart(started, warn);
    if (argv.json) {
      const warning = vaultWarning(vault);
      sayJson({ ...started, vault, warnings: warning === undefined ? [] : [warning] });
    }
    return 0;
  }

  const proxy = createProxy(options, process.env);
  await serveUntilSignal(proxy, resolved, pidFile, (address, stopping) => {
    // Detached, nobody is at a terminal to press Ctrl-C: the log says how to stop it instead.
    const stop = argv.detachedChild ? `in the background; stop: ${stopHint(address.port)}` : 'Ctrl-C stops';
    say(`vault-proxy ready: ${describeRoute(address, resolved)} (pid ${process.pid}; ${stop})`);
    // After the ready line and not awaited, so the probe never delays listening; the parent of a detached child probes itself.
    if (!argv.detachedChild) {
      void probeAfterStart(address, (line) => {
        // A probe cut short by Ctrl-C (even one sent before this line) says nothing about the vault.
        if (!stopping()) warn(line);
      });
    }
  });
  return 0;
}
