import { type CliContext, mark } from '@raxx/cli-kit';
import { type EmergencyStopResult, emergencyStop } from '@raxx/vault-proxy/doctor';
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
    .option('dir', { type: 'string', describe: 'repository whose MCP config to clean [default: git top level of the current directory]' })
    .option('client', { choices: [...MCP_CLIENT_NAMES, 'all'], describe: 'MCP client config to clean [default: all]' })
    .epilogue(
      `The runbook's §Emergency stop: stops the proxy and removes only the Infisical MCP entry (other servers are kept). Vault access falls back to the sre-agent dispatch model; the vault and Cloudflare Access are untouched. Exit status 1 when a part could not be done.\n\n${targetEnvHelp()}`,
    ) as Argv<T>;
}

function proxyLine(proxy: EmergencyStopResult['proxy']): string {
  if (!proxy.ok) return `${mark(false)} proxy: ${proxy.error.message}`;
  const r = proxy.result;
  if (r.reason === 'stopped') return `${mark(true)} proxy: stopped pid ${r.pid}`;
  if (r.reason === 'killed') return `${mark(true)} proxy: killed pid ${r.pid} (it did not exit after SIGTERM)`;
  if (r.reason === 'stale-pid-file') return `${mark(true)} proxy: was not running (removed the stale pid file ${r.pidFile})`;
  return `${mark(true)} proxy: was not running`;
}

const ACTION_TEXT = {
  'removed-file': 'removed the Infisical entry and the file (nothing else was in it)',
  'removed-entry': 'removed the Infisical entry (other servers kept)',
  'no-entry': 'no Infisical entry (file untouched)',
  'no-file': 'no config file',
} as const;

/** `vault-proxy emergency-stop`: stop the proxy and remove the MCP entry; say what was done. */
export async function emergencyStopCommand(argv: EmergencyStopArgs, { output }: CliContext): Promise<number> {
  const { say, sayJson } = output;
  const result = await emergencyStop({ ...targetOptions(argv), dir: argv.dir, client: argv.client, timeoutMs: argv.timeoutMs });
  if (argv.json) sayJson(result);
  else {
    say(proxyLine(result.proxy));
    for (const m of result.mcp) {
      say(
        m.ok
          ? `${mark(true)} ${m.client}: ${ACTION_TEXT[m.result.action]} — ${m.result.file}`
          : `${mark(false)} ${m.client}: ${m.error.message}`,
      );
    }
    say(
      result.ok
        ? 'Emergency stop done: vault access falls back to the sre-agent dispatch model.'
        : 'Emergency stop incomplete: finish the failed part by hand (runbook §Emergency stop).',
    );
  }
  return result.ok ? 0 : 1;
}
