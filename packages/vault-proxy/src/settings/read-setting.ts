import { configInvalid } from '../errors.js';
import type { Env } from './env.js';
import { SettingProblem } from './parsers.js';
import type { Setting } from './settings-table.js';

/**
 * Read one setting: the explicit option value wins, then the environment
 * variable (an empty one counts as unset), then the row's default. A bad
 * value throws `CONFIG_INVALID` naming the option (`source: 'option'`) or
 * the variable (`source: 'env'`), never the value.
 */
export function readSetting<T>(row: Setting<T>, explicit: unknown, env: Env): T | undefined {
  let raw: unknown;
  let source: 'option' | 'env';
  if (explicit !== undefined && explicit !== '') {
    raw = explicit;
    source = 'option';
  } else {
    const fromEnv = env[row.env];
    if (fromEnv === undefined || fromEnv.trim() === '') return row.default;
    raw = fromEnv;
    source = 'env';
  }
  try {
    return row.parse(raw);
  } catch (error) {
    if (!(error instanceof SettingProblem)) throw error;
    throw configInvalid(source === 'option' ? (row.option ?? row.env) : row.env, source, error.problem, error.hint, error.reason);
  }
}

/**
 * Like {@link readSetting}, for a setting that must be set: an unset one
 * throws `CONFIG_INVALID` naming the variable (or the option, when the
 * caller passes `option` as the place it expected the value) and `hint`.
 */
export function requireSetting<T>(row: Setting<T>, explicit: unknown, env: Env, hint: string): T {
  const value = readSetting(row, explicit, env);
  if (value === undefined || value === '') throw configInvalid(row.env, 'env', 'is not set', hint);
  return value;
}
