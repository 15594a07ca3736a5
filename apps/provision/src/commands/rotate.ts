import { type CliContext, describeError } from '@raxx/cli-kit';
import { configInvalid } from '@raxx/vault-proxy';
import { type RotateDueResult, type RotateResult, rotateClientSecret, rotateDue, type StepReport } from '@raxx/vault-proxy/provision';
import type { Argv } from 'yargs';
import { identityFlags, optionsFrom, type ProvisionArgs, vaultFlags } from '../flags.js';
import { stepLine } from '../output.js';

/** yargs builder of `rotate`. */
export function rotateBuilder<T>(y: Argv<T>): Argv<T> {
  const group = 'Rotation:';
  const withRotation = identityFlags(y, false)
    .option('manifest', { type: 'string', group, describe: 'rotation manifest (updated after a rotation; required with --due)' })
    .option('due', { type: 'boolean', group, describe: 'rotate every manifest entry that is due (no identity flags)' })
    .option('rotation-interval-days', { type: 'number', group, describe: 'interval recorded for a new manifest entry [default: 30]' });
  return vaultFlags(withRotation);
}

async function rotateOne(argv: ProvisionArgs, onStep: (r: StepReport) => void): Promise<RotateResult> {
  return rotateClientSecret({ ...optionsFrom(argv), onStep });
}

async function rotateAllDue(argv: ProvisionArgs, onStep: (r: StepReport) => void): Promise<RotateDueResult> {
  if (!argv.manifest) {
    throw configInvalid('manifest', 'option', 'is required with --due', 'Pass the rotation manifest: --manifest PATH.');
  }
  const { manifest, identityName: _i, agentName: _a, ...rest } = optionsFrom(argv);
  return rotateDue({ ...rest, manifest: manifest as string, onStep });
}

/** `rotate` (one identity) or `rotate --due --manifest PATH` (every due entry). */
export async function rotateCommand(argv: ProvisionArgs, context: CliContext): Promise<number> {
  const { say, sayJson } = context.output;
  const steps: StepReport[] = [];
  Object.assign(context.partial, { command: 'rotate', steps });
  const onStep = (report: StepReport) => {
    steps.push(report);
    if (!context.json) say(stepLine(report));
  };
  if (!argv.due) {
    const result = await rotateOne(argv, onStep);
    if (context.json) sayJson({ command: 'rotate', ok: true, ...result });
    else say(`Rotated ${argv.identityName}: client secret ${result.clientSecretId} is stored and proven; the old one is revoked.`);
    return 0;
  }
  const result = await rotateAllDue(argv, onStep);
  const entries = result.entries.map(({ error, ...rest }) => ({ ...rest, ...(error ? { error: describeError(error) } : {}) }));
  if (!context.json) {
    for (const e of result.entries) {
      const line =
        e.outcome === 'rotated'
          ? '✔ rotated'
          : e.outcome === 'not-due'
            ? `• not due (due ${e.dueAt})`
            : `✖ failed: ${e.error?.message ?? ''}`;
      say(`${e.identityName}: ${line}`);
    }
  }
  const failed = result.entries.find((e) => e.error);
  if (failed?.error) {
    // One document either way: the entries go into the kit's error document.
    Object.assign(context.partial, { due: true, entries });
    throw failed.error;
  }
  if (context.json) sayJson({ command: 'rotate', due: true, ok: result.ok, entries });
  return 0;
}
