import type { CliContext } from '@raxx/cli-kit';
import { type StepReport, type VerifyIdentityResult, verifyIdentity } from '@raxx/vault-proxy/provision';
import type { Argv } from 'yargs';
import { identityFlags, optionsFrom, type ProvisionArgs, vaultFlags, verifyFlags } from '../flags.js';
import { checkLines, stepLine } from '../output.js';

/** yargs builder of `verify`. */
export function verifyBuilder<T>(y: Argv<T>): Argv<T> {
  const withScope = identityFlags(y, true).option('scope', {
    type: 'string',
    group: 'Verify (Step 10):',
    describe: 'scope to verify against [default: read from the identity privilege --slug]',
  });
  return vaultFlags(verifyFlags(withScope));
}

/** `verify`: the four checks of Step 10 through the proxy. */
export async function verifyCommand(argv: ProvisionArgs, context: CliContext): Promise<number> {
  const { say, sayJson } = context.output;
  const steps: StepReport[] = [];
  Object.assign(context.partial, { command: 'verify', steps });
  const result: VerifyIdentityResult = await verifyIdentity({
    ...optionsFrom(argv),
    onStep: (report) => {
      steps.push(report);
      if (!context.json) say(stepLine(report));
    },
  });
  if (context.json) {
    sayJson({ command: 'verify', ok: true, ...result });
    return 0;
  }
  for (const line of checkLines(result.verify.checks)) say(line);
  say(`Verified ${argv.identityName}: read-only within ${result.scope}.`);
  return 0;
}
