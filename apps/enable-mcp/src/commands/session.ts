import { type CliContext, envHelp, type Outcome, operatorPath, settingDescribe, withSettingFlags } from '@raxx/cli-kit';
import { credentialExportLines, type SessionStep, type SessionStepStatus, startSession } from '@raxx/vault-proxy/mcp';
import type { SettingName } from '@raxx/vault-proxy/settings';
import type { Argv } from 'yargs';
import { type TargetArgs, targetBuilder } from '../mcp-flags.js';
import type { CliIo } from '../output.js';
import { vaultProxyCommand } from '../proxy-command.js';

/** Flags of `enable-vault-mcp session`. */
export interface SessionArgs extends TargetArgs {
  readonly identityName?: string;
  readonly agentName?: string;
  readonly manifest?: string;
  readonly environment?: string;
  readonly credsPath?: string;
  readonly port?: number;
  readonly pidFile?: string;
  readonly projectId?: string;
  readonly probeKey?: string;
  readonly probePath?: string;
  readonly printEnv?: boolean;
}

/** yargs builder of `session`. */
export function sessionBuilder<T>(y: Argv<T>): Argv<T> {
  const group = 'Identity (as vault-provision onboard was given it):';
  const named = targetBuilder(y)
    .option('identity-name', { type: 'string', group, describe: 'the MCP machine identity (required)' })
    .option('agent-name', {
      type: 'string',
      group,
      describe: 'its agent name: the stored keys are <AGENT>_CLIENT_ID / <AGENT>_CLIENT_SECRET',
    })
    .option('manifest', { type: 'string', group, describe: 'a rotation manifest whose entry names the identity (instead of --agent-name)' })
    .option('environment', { type: 'string', group, describe: 'environment of the stored credentials [default: prod]' })
    .option('creds-path', {
      type: 'string',
      group,
      describe: 'folder of the stored credentials [default: /MooseQuest/identities/<identity-name>]',
    })
    .option('port', {
      type: 'number',
      describe: settingDescribe('port', 'proxy port: reused when a proxy answers there, else started on it'),
    })
    .option('print-env', {
      type: 'boolean',
      describe: `print the MCP identity's credentials as export lines on stdout, and only them (everything else goes to stderr), for eval "$(enable-vault-mcp session … --print-env)"`,
    });
  const flagged = withSettingFlags(withSettingFlags(named, ['projectId', 'pidFile']), ['probeKey', 'probePath'], 'End-to-end read:');
  const settings: readonly SettingName[] = [
    'port',
    'pidFile',
    'cfAccessClientId',
    'cfAccessClientSecret',
    'adminClientId',
    'adminClientSecret',
    'projectId',
    'probeKey',
    'probePath',
  ];
  const proxySettings =
    "A proxy it starts gets this environment, so it reads its own settings (VAULT_PROXY_UPSTREAM, VAULT_PROXY_CONNECT_TO, VAULT_PROXY_CA_FILE, …) as vault-proxy start does, without the identities' secrets.";
  return flagged.epilogue(`${envHelp('enable-vault-mcp', settings)}\n\n${proxySettings}`) as Argv<T>;
}

const OUTCOME: Record<SessionStepStatus, Outcome> = { done: 'pass', 'already-done': 'info', skipped: 'skip' };

function stepLine(step: SessionStep) {
  return { outcome: OUTCOME[step.status], title: `${step.title} (step ${step.runbookStep})`, detail: step.detail };
}

/**
 * `enable-vault-mcp session`: docs/runbook.md §Session start in one command.
 * Progress and next steps are printed as lines (with `--print-env` the CLI
 * sends them to standard error); the credentials are printed only with
 * `--print-env`, as export lines on `stdout` (the real standard output), and never in `--json`.
 */
export async function sessionCommand(argv: SessionArgs, stdout: CliIo, context: CliContext): Promise<number> {
  const { output } = context;
  const steps: SessionStep[] = [];
  // Printed with the error if a step fails (the kit's --json document).
  Object.assign(context.partial, { command: 'session', steps });
  const result = await startSession({
    identityName: argv.identityName,
    agentName: argv.agentName,
    manifest: operatorPath(argv.manifest, stdout.env),
    environment: argv.environment,
    credsPath: argv.credsPath,
    dir: argv.dir,
    client: argv.client,
    env: stdout.env,
    port: argv.port,
    pidFile: operatorPath(argv.pidFile, stdout.env),
    projectId: argv.projectId,
    probeKey: argv.probeKey,
    probePath: argv.probePath,
    proxyCommand: vaultProxyCommand(),
    printEnv: argv.printEnv === true,
    onStep: (step) => {
      steps.push(step);
      if (!context.json) output.outcome(stepLine(step));
    },
  });
  const { credentials, ...shown } = result;
  if (context.json) output.sayJson({ ok: true, ...shown });
  else {
    output.say(`Session ready for ${result.identity.identityName}: ${result.config.file} → ${result.proxy.url}. Next:`);
    result.next.forEach((line, i) => {
      output.say(`  ${i + 1}. ${line}`);
    });
  }
  if (argv.printEnv) for (const line of credentialExportLines(credentials)) stdout.out(line);
  return 0;
}
