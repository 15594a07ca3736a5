import { resolveOperatorPath } from '@raxx/vault-proxy/process';

/**
 * A path flag (`--manifest`, `--env-file`, `--pid-file`, `--ca-file`) as the
 * operator meant it: relative to the directory they typed the command in,
 * even when pnpm runs the script in the package's folder, and made absolute
 * so every message shows where the file really is. Unset stays unset.
 */
export function operatorPath(
  value: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  return value === undefined || value.trim() === '' ? value : resolveOperatorPath(value, env);
}
