import { type StepReport, type VerifyIdentityResult, verifyIdentity } from '@raxx/vault-proxy';
import type { Argv } from 'yargs';
import { identityFlags, optionsFrom, type ProvisionArgs, vaultFlags, verifyFlags } from '../flags.js';
import { checkLines, errorJson, say, sayJson, stepLine } from '../output.js';

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
export async function verifyCommand(argv: ProvisionArgs): Promise<number> {
  const steps: StepReport[] = [];
  let result: VerifyIdentityResult;
  try {
    result = await verifyIdentity({
      ...optionsFrom(argv),
      onStep: (report) => {
        steps.push(report);
        if (!argv.json) say(stepLine(report));
      },
    });
  } catch (error) {
    if (argv.json) sayJson({ command: 'verify', ok: false, steps, error: errorJson(error) });
    throw error;
  }
  if (argv.json) {
    sayJson({ command: 'verify', ok: true, ...result });
    return 0;
  }
  for (const line of checkLines(result.verify.checks)) say(line);
  say(`Verified ${argv.identityName}: read-only within ${result.scope}.`);
  return 0;
}
