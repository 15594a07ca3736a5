import { SETTINGS, type SettingName, type ToolName } from '@raxx/vault-proxy/settings';
import type { Argv, Options } from 'yargs';

/**
 * An "Environment:" help section from the settings table: every variable
 * `tool` reads (or just `names`), its default and help. Secrets are marked
 * environment-only; no current value is ever shown.
 */
export function envHelp(tool: ToolName, names?: readonly SettingName[]): string {
  const rows = (Object.keys(SETTINGS) as SettingName[])
    .filter((n) => (names ? names.includes(n) : SETTINGS[n].usedBy.includes(tool)))
    .map((n) => SETTINGS[n]);
  const width = Math.max(...rows.map((r) => r.env.length));
  const lines = rows.map((r) => {
    const flag = r.flag ? ` [flag --${r.flag}]` : '';
    return `  ${r.env.padEnd(width)}  ${r.help}${flag} [default: ${r.defaultText}]`;
  });
  return `Environment (a flag wins over its variable; secrets are read from here only, argv is visible in ps):\n${lines.join('\n')}`;
}

/**
 * A flag's help text with its variable and default from the settings table:
 * `describe` (the setting's own help when omitted) + ` [env X] [default: Y]`.
 * For flags a command declares itself (other type, own wording) so no help
 * string repeats a variable name or a default.
 */
export function settingDescribe(name: SettingName, describe?: string): string {
  const row = SETTINGS[name];
  return `${describe ?? row.help} [env ${row.env}] [default: ${row.defaultText}]`;
}

/**
 * Declare one yargs flag per named setting that has a flag. No yargs
 * defaults: an unset flag falls through to its variable, then the library
 * default. Values stay strings; the library parses and validates them.
 */
export function withSettingFlags<T>(y: Argv<T>, names: readonly SettingName[], group?: string): Argv<T> {
  let out = y;
  for (const name of names) {
    const row = SETTINGS[name];
    if (!row.flag) continue;
    const option: Options = { type: 'string', describe: settingDescribe(name) };
    if (group) option.group = group;
    out = out.option(row.flag, option) as Argv<T>;
  }
  return out;
}

/** The library options set by the named settings' flags (camel-cased by yargs), as given. */
export function settingOptions(argv: Readonly<Record<string, unknown>>, names: readonly SettingName[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const name of names) {
    const row = SETTINGS[name];
    if (!row.flag || !row.option) continue;
    const key = row.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (argv[key] !== undefined) options[row.option] = argv[key];
  }
  return options;
}

/** The flag that sets a library option, per the settings table (`upstream` → `--upstream`), else the option in kebab case. */
export function settingFlagFor(option: string): string | undefined {
  const row = Object.values(SETTINGS).find((r) => r.option === option);
  return row?.flag ? `--${row.flag}` : undefined;
}

/** The named settings' flags for `runDirect` (all strings, like {@link withSettingFlags} declares them). */
export function settingDirectFlags(names: readonly SettingName[]): Record<string, 'string'> {
  const flags: Record<string, 'string'> = {};
  for (const name of names) {
    const flag = SETTINGS[name].flag;
    if (flag) flags[flag] = 'string';
  }
  return flags;
}
