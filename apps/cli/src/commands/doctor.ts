import { type CliContext, envHelp, type Outcome, operatorPath, settingDescribe } from '@raxx/cli-kit';
import { type DoctorCheck, runDoctor } from '@raxx/vault-proxy/doctor';
import { MCP_CLIENT_NAMES, type McpClient } from '@raxx/vault-proxy/mcp';
import type { Argv } from 'yargs';
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
  readonly identityName?: string;
  readonly agentName?: string;
  readonly credsPath?: string;
  readonly slug?: string;
  readonly manifest?: string;
}

/** yargs builder of `doctor`. */
export function doctorBuilder<T>(y: Argv<T>): Argv<T> {
  return targetBuilder(y)
    .option('probe-key', { type: 'string', describe: settingDescribe('probeKey', 'a key the MCP identity can read (needed for check D)') })
    .option('probe-path', { type: 'string', describe: settingDescribe('probePath', 'folder of the probe key') })
    .option('project-id', { type: 'string', describe: 'project of the probe key [env INFISICAL_PROJECT_ID] [default: 29b77751-…]' })
    .option('environment', { type: 'string', describe: 'environment slug of the probe key [default: prod]' })
    .option('dir', { type: 'string', describe: 'repository whose MCP config to check [default: git top level of the current directory]' })
    .option('client', { choices: MCP_CLIENT_NAMES, describe: 'MCP client whose config to check [default: claude]' })
    .option('timeout-ms', { type: 'number', describe: 'ms each request may take [default: 5000]' })
    .option('identity-name', { type: 'string', describe: 'the MCP identity in use, named in the fixes [default: from --manifest]' })
    .option('agent-name', {
      type: 'string',
      describe: 'its agent name (stored keys <AGENT>_CLIENT_ID / _SECRET) [default: from --manifest]',
    })
    .option('creds-path', {
      type: 'string',
      describe: 'folder of its stored credentials [default: /MooseQuest/identities/<identity-name>]',
    })
    .option('slug', {
      type: 'string',
      describe: 'slug of its additional privilege [default: <agent-name>-read, as vault-provision makes it]',
    })
    .option('manifest', {
      type: 'string',
      describe: 'rotation manifest whose entry (--identity-name, else INFISICAL_MCP_CLIENT_ID) names it',
    })
    .epilogue(
      `Checks, in the order of docs/runbook.md §Diagnosis: A proxy running → B /api/status through it → C login as the MCP identity → D get-secret of the probe key → E the MCP config. Fixes name the MCP identity in use (flags, else --manifest). Exit status 1 when a check fails; D without a probe key is a warning (skipped), not a failure.\n\n${envHelp('vault-proxy', ['port', 'host', 'pidFile', 'mcpClientId', 'mcpClientSecret', 'projectId', 'probeKey', 'probePath'])}`,
    ) as Argv<T>;
}

/** A doctor check as the kit's one step/check line. */
function outcomeOf(check: DoctorCheck): Outcome {
  return check.status === 'skipped' ? 'skip' : check.status;
}

/** `vault-proxy doctor`: docs/runbook.md §Diagnosis, one line per check. */
export async function doctorCommand(argv: DoctorArgs, { output }: CliContext): Promise<number> {
  const report = await runDoctor({
    ...targetOptions(argv),
    probeKey: argv.probeKey,
    probePath: argv.probePath,
    projectId: argv.projectId,
    environment: argv.environment,
    dir: argv.dir,
    client: argv.client,
    timeoutMs: argv.timeoutMs,
    identityName: argv.identityName,
    agentName: argv.agentName,
    credsPath: argv.credsPath,
    slug: argv.slug,
    manifest: operatorPath(argv.manifest),
  });
  if (argv.json) output.sayJson(report);
  else {
    output.say(`vault-proxy doctor: ${report.proxyUrl}`);
    for (const check of report.checks) {
      const mode = check.failureMode ? ` [failure mode ${check.failureMode}]` : '';
      output.outcome({ outcome: outcomeOf(check), title: `${check.title}${mode}`, detail: check.detail, fix: check.fix });
    }
    const warnings = report.checks.filter((c) => c.status === 'warn').length;
    const mode = report.failureMode ? `: failure mode ${report.failureMode} (docs/runbook.md §Failure mode ${report.failureMode})` : '';
    if (!report.ok) output.say(`Not healthy${mode}.`);
    else output.say(warnings === 0 ? 'All checks passed.' : `All checks that ran passed (${warnings} skipped with a warning).`);
  }
  return report.ok ? 0 : 1;
}
