/**
 * Flags a yargs `--help` text advertises in its "Environment" section
 * (`[flag --x]`, as `envHelp` of `@raxx/cli-kit` writes it) that the options
 * list above that section does not declare: help that would send an operator
 * to a flag the command then refuses as unknown.
 *
 * @example
 * expect(undeclaredHelpFlags(run.stdout)).toEqual([]);
 */
export function undeclaredHelpFlags(help: string): string[] {
  const at = help.indexOf('Environment (');
  if (at === -1) throw new Error('the help has no "Environment (" section');
  // Option lines as yargs prints them: "  -h, --help", "      --upstream, --vault-url".
  const declared = new Set(
    [...help.slice(0, at).matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)(?:, (--[a-z][a-z-]*))?/gm)].flatMap((m) => [m[1], m[2]]),
  );
  return [...help.slice(at).matchAll(/\[flag (--[a-z][a-z-]*)\]/g)].map((m) => m[1] as string).filter((flag) => !declared.has(flag));
}
