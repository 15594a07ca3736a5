import { type CliContext, type OutcomeLine, operatorPath } from '@raxx/cli-kit';
import { type EmergencyStopMcp, type EmergencyStopPidFile, type EmergencyStopProxy, emergencyStop } from '@raxx/vault-proxy/doctor';
import { MCP_CLIENT_NAMES, type McpClient } from '@raxx/vault-proxy/mcp';
import type { Argv } from 'yargs';
import { stopTargetBuilder, type TargetArgs, targetEnvHelp, targetOptions } from './target-flags.js';

/** Flags of `vault-proxy emergency-stop`. */
export interface EmergencyStopArgs extends TargetArgs {
  readonly dir?: string;
  readonly client?: McpClient | 'all';
  readonly timeoutMs?: number;
}

/** yargs builder of `emergency-stop`. */
export function emergencyStopBuilder<T>(y: Argv<T>): Argv<T> {
  return stopTargetBuilder(y)
    .option('dir', {
      type: 'string',
      describe: 'repository whose MCP configs to clean [default: git top level of where you typed the command]',
    })
    .option('client', { choices: [...MCP_CLIENT_NAMES, 'all'], describe: 'MCP client config to clean [default: all]' })
    .epilogue(
      `docs/runbook.md §Emergency stop: stops every running vault-proxy of this user (every pid file of the pid directory, the port, every vault-proxy process found), removes stale pid files, and removes only the Infisical entry from each MCP client config of the repository (other servers are kept). Says what it found and did. Vault access falls back to the sre-agent dispatch model; the vault and Cloudflare Access are untouched. Exit status 1 when something found could not be stopped or removed.\n\n${targetEnvHelp()}`,
    ) as Argv<T>;
}

const CLUES = { 'pid-file': 'pid file', port: 'port', process: 'process' } as const;

function proxyLine(p: EmergencyStopProxy): OutcomeLine {
  const where = [p.url, p.pidFile ? `pid file ${p.pidFile}` : undefined, `found by ${p.foundBy.map((c) => CLUES[c]).join(', ')}`];
  const detail = where.filter(Boolean).join('; ');
  if (!p.ok) return { outcome: 'fail', title: `vault-proxy pid ${p.pid}`, detail: `could not be stopped: ${p.error.message}`, fix: detail };
  const how = p.outcome === 'killed' ? 'killed (it did not exit after SIGTERM)' : 'stopped';
  return { outcome: 'pass', title: `vault-proxy pid ${p.pid}`, detail: `${how} (${detail})` };
}

function pidFileLine(f: EmergencyStopPidFile): OutcomeLine {
  const what = {
    stale: `named pid ${f.pid}, which is gone`,
    reused: `named pid ${f.pid}, now another program (not signalled)`,
    invalid: 'is not a vault-proxy pid file',
  }[f.reason];
  if (f.reason === 'invalid') return { outcome: 'info', title: `pid file ${f.pidFile}`, detail: `${what}: left as it is` };
  if (f.removed) return { outcome: 'pass', title: `pid file ${f.pidFile}`, detail: `${what}: removed` };
  return { outcome: 'fail', title: `pid file ${f.pidFile}`, detail: `${what}: could not be removed`, fix: `Delete ${f.pidFile} by hand.` };
}

const MCP_TEXT = {
  'removed-file': 'removed the Infisical entry and the file (nothing else was in it)',
  'removed-entry': 'removed the Infisical entry (everything else kept)',
  'no-entry': 'no Infisical entry (file untouched)',
  'no-file': 'no config file',
} as const;

function mcpLine(m: EmergencyStopMcp): OutcomeLine {
  if (!m.ok) return { outcome: 'fail', title: m.client, detail: m.error.message };
  const { action, file, removedDir } = m.result;
  const dir = removedDir ? `, and the empty ${removedDir}` : '';
  const removed = action === 'removed-file' || action === 'removed-entry';
  return { outcome: removed ? 'pass' : 'info', title: m.client, detail: `${MCP_TEXT[action]}${dir} — ${file}` };
}

/** `vault-proxy emergency-stop`: stop every proxy, remove the MCP entries; say what was found and done. */
export async function emergencyStopCommand(argv: EmergencyStopArgs, { output }: CliContext): Promise<number> {
  const { say, sayJson } = output;
  const result = await emergencyStop({
    ...targetOptions(argv),
    dir: operatorPath(argv.dir),
    client: argv.client,
    timeoutMs: argv.timeoutMs,
  });
  if (argv.json) {
    sayJson(result);
    return result.ok ? 0 : 1;
  }
  const { searched } = result;
  say(`Proxies: looked in ${searched.pidDirectory}, at port ${searched.port} and at this user's vault-proxy processes.`);
  if (result.proxies.length === 0) output.outcome({ outcome: 'info', title: 'vault-proxy', detail: 'none was running' });
  for (const p of result.proxies) output.outcome(proxyLine(p));
  for (const f of result.pidFiles) output.outcome(pidFileLine(f));
  say('MCP configs:');
  for (const m of result.mcp) output.outcome(mcpLine(m));
  const stopped = result.proxies.filter((p) => p.ok).length;
  const removed = result.mcp.filter((m) => m.ok && (m.result.action === 'removed-file' || m.result.action === 'removed-entry')).length;
  if (!result.ok) say('Emergency stop incomplete: finish the failed part by hand (docs/runbook.md §Emergency stop).');
  else if (stopped === 0 && removed === 0) say('Emergency stop: nothing was running and no MCP entry was there; nothing to do.');
  else {
    const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    say(
      `Emergency stop done: ${count(stopped, 'proxy', 'proxies')} stopped, ${count(removed, 'MCP entry', 'MCP entries')} removed; vault access falls back to the sre-agent dispatch model.`,
    );
  }
  return result.ok ? 0 : 1;
}
