import { type DoctorCheck, MCP_CLIENT_NAMES, type McpClient, runDoctor } from '@raxx/vault-proxy';
import type { Argv } from 'yargs';
import { mark, say, sayJson } from '../output.js';
import { envHelp, PID_FILE_HELP, proxyEnvRows } from '../proxy-flags.js';
import { type TargetArgs, targetBuilder, targetOptions } from './target-flags.js';

/** Flags of `vault-proxy doctor`. */
export interface DoctorArgs extends TargetArgs {
  readonly probeKey?: string;
  readonly probePath?: string;
  readonly projectId?: string;
  readonly environment?: string;
  readonly dir?: string;
  readonly client?: McpClient;
  readonly timeoutMs?: number;
}

/** yargs builder of `doctor`. */
export function doctorBuilder<T>(y: Argv<T>): Argv<T> {
  return targetBuilder(y)
    .option('probe-key', { type: 'string', describe: 'a key the MCP identity can read [env VAULT_PROBE_KEY] (needed for check D)' })
    .option('probe-path', { type: 'string', describe: 'folder of the probe key [env VAULT_PROBE_PATH] [default: /MooseQuest/]' })
    .option('project-id', { type: 'string', describe: 'project of the probe key [env INFISICAL_PROJECT_ID] [default: 29b77751-…]' })
    .option('environment', { type: 'string', describe: 'environment slug of the probe key [default: prod]' })
    .option('dir', { type: 'string', describe: 'repository whose MCP config to check [default: git top level of the current directory]' })
    .option('client', { choices: MCP_CLIENT_NAMES, describe: 'MCP client whose config to check [default: claude]' })
    .option('timeout-ms', { type: 'number', describe: 'ms each request may take [default: 5000]' })
    .epilogue(
      `Checks, in the runbook's order: A proxy running → B /api/status through it → C login as the MCP identity → D get-secret of the probe key → E the MCP config. Exit status 1 when any check fails.\n\n${envHelp(
        [
          ...proxyEnvRows(['VAULT_PROXY_PORT', 'VAULT_PROXY_HOST']),
          PID_FILE_HELP,
          ['INFISICAL_MCP_CLIENT_ID', 'the MCP identity (universal auth) client id'],
          ['INFISICAL_MCP_CLIENT_SECRET', 'its client secret; environment only, never a flag'],
          ['INFISICAL_PROJECT_ID', 'project of the probe key'],
          ['VAULT_PROBE_KEY', 'a key the MCP identity can read'],
          ['VAULT_PROBE_PATH', 'its folder [default: /MooseQuest/]'],
        ],
      )}`,
    ) as Argv<T>;
}

function checkLines(check: DoctorCheck): string[] {
  const mode = check.failureMode ? ` [failure mode ${check.failureMode}]` : '';
  const sign = check.status === 'skipped' ? '–' : mark(check.ok);
  const lines = [`${sign} ${check.title}${mode}: ${check.detail}`];
  if (check.fix && check.status === 'fail') lines.push(`    fix: ${check.fix}`);
  return lines;
}

/** `vault-proxy doctor`: the runbook's diagnosis, one line per check. */
export async function doctorCommand(argv: DoctorArgs): Promise<number> {
  const report = await runDoctor({
    ...targetOptions(argv),
    probeKey: argv.probeKey,
    probePath: argv.probePath,
    projectId: argv.projectId,
    environment: argv.environment,
    dir: argv.dir,
    client: argv.client,
    timeoutMs: argv.timeoutMs,
  });
  if (argv.json) sayJson(report);
  else {
    say(`vault-proxy doctor: ${report.proxyUrl}`);
    for (const check of report.checks) for (const line of checkLines(check)) say(line);
    say(report.ok ? 'All checks passed.' : `Not healthy${report.failureMode ? `: runbook failure mode ${report.failureMode}` : ''}.`);
  }
  return report.ok ? 0 : 1;
}
