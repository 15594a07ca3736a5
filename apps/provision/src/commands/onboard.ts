import type { CliContext } from '@raxx/cli-kit';
import { sessionCommand } from '@raxx/vault-proxy/mcp';
import { type OnboardResult, onboardIdentity, planOnboarding, type StepReport } from '@raxx/vault-proxy/provision';
import type { Argv } from 'yargs';
import { identityFlags, optionsFrom, type ProvisionArgs, vaultFlags, verifyFlags } from '../flags.js';
import { checkLines, stepLine } from '../output.js';

/** yargs builder of `onboard` and `plan`. */
export function onboardBuilder<T>(y: Argv<T>): Argv<T> {
  const group = 'Access:';
  const withAccess = identityFlags(y, true)
    .option('scope', { type: 'string', group, describe: 'secretPath glob the identity may read, e.g. /MooseQuest/app/** (required)' })
    .option('allow-broad', { type: 'boolean', group, describe: 'allow /, /**, <root>/** or a scope outside the root (still read-only)' })
    .option('access-token-ttl', { type: 'number', group, describe: 'access token TTL, seconds [default: 3600]' })
    .option('access-token-max-ttl', { type: 'number', group, describe: 'access token max TTL, seconds [default: 7200]' })
    .option('manifest', { type: 'string', group: 'Rotation (Step 12):', describe: 'rotation manifest to register the identity in' })
    .option('rotation-interval-days', { type: 'number', group: 'Rotation (Step 12):', describe: 'days between rotations [default: 30]' })
    .option('verify', {
      type: 'boolean',
      group: 'Verify (Step 10):',
      describe: 'verify through the proxy at the end (--no-verify to skip) [default: true]',
    });
  return vaultFlags(verifyFlags(withAccess));
}

/** `onboard` (apply) and `plan` (look only): print each step as it runs, then the verify checks. */
export async function onboardCommand(argv: ProvisionArgs, mode: 'apply' | 'plan', context: CliContext): Promise<number> {
  const { say, sayJson } = context.output;
  const command = mode === 'apply' ? 'onboard' : 'plan';
  const steps: StepReport[] = [];
  // Printed with the error if a step fails (the kit's --json document).
  Object.assign(context.partial, { command, steps });
  const onStep = (report: StepReport) => {
    steps.push(report);
    if (!context.json) say(stepLine(report));
  };
  const result: OnboardResult = await (mode === 'apply' ? onboardIdentity : planOnboarding)({ ...optionsFrom(argv), onStep });
  // What comes next (runbook Step 11): the session command for this identity, to type in the agent's repository.
  const next = mode === 'apply' ? sessionCommandFor(argv) : undefined;
  if (context.json) {
    sayJson({ command, ok: true, ...result, ...(next === undefined ? {} : { sessionCommand: next }) });
    return 0;
  }
  if (result.verify) for (const line of checkLines(result.verify.checks)) say(line);
  const wouldDo = result.steps.filter((s) => s.status === 'would-do').length;
  if (mode === 'plan')
    say(wouldDo === 0 ? 'Plan: nothing to change.' : `Plan: ${wouldDo} step(s) would change the vault; nothing was changed.`);
  else {
    say(`Onboarded ${argv.identityName} (identity ${result.identityId}, client id ${result.clientId}).`);
    say(`Next, in the agent's repository (docs/runbook.md §Session start): ${next}`);
  }
  return 0;
}

/** `enable-vault-mcp session …` for the identity just onboarded, naming its folder and environment when not the defaults. */
function sessionCommandFor(argv: ProvisionArgs): string {
  const { identityName = '', agentName, environment, root, credsPath } = argv;
  return sessionCommand({ identityName: identityName.trim(), agentName: agentName?.trim(), environment, root, credsPath });
}
