import { readFileSync } from 'node:fs';
import { SecretValue } from '../secret-value.js';

/**
 * What is wrong with a value, without the value: thrown by a parser, turned
 * into a `CONFIG_INVALID` naming the option or variable by `readSetting`.
 * @internal
 */
export class SettingProblem extends Error {
  constructor(
    readonly problem: string,
    readonly hint: string,
    readonly reason?: unknown,
  ) {
    super(problem);
  }
}

/**
 * Turns a raw value (an environment string, or an option's typed value) into
 * the setting's type; throws {@link SettingProblem}.
 */
export type SettingParser<T> = (raw: unknown) => T;

function textOf(raw: unknown): string {
  return raw instanceof SecretValue ? raw.reveal() : String(raw);
}

/** Trimmed text without line breaks or NUL (safe in a header or a file name). */
export const text: SettingParser<string> = (raw) => {
  const value = textOf(raw).trim();
  if (/[\r\n\0]/.test(value))
    throw new SettingProblem('contains a line break or NUL', 'Copy the value again without surrounding whitespace.');
  return value;
};

/** Like {@link text}, kept in a `SecretValue` from the moment it is read. */
export const secret: SettingParser<SecretValue> = (raw) => new SecretValue(text(raw));

/** An integer in `[min, max]`, from a number or a string of digits. */
export function integerIn(min: number, max: number): SettingParser<number> {
  return (raw) => {
    const trimmed = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw)) ? Number(String(raw).trim()) : Number.NaN;
    if (!Number.isInteger(trimmed) || trimmed < min || trimmed > max)
      throw new SettingProblem(`must be an integer from ${min} to ${max}`, 'Set it in range, or unset it for the default.');
    return trimmed;
  };
}

/** One of `allowed`, compared case-insensitively. */
export function oneOf<T extends string>(allowed: readonly T[]): SettingParser<T> {
  return (raw) => {
    const value = String(raw).trim().toLowerCase() as T;
    if (!allowed.includes(value)) throw new SettingProblem(`must be one of ${allowed.join(', ')}`, 'Pick one of them, or unset it.');
    return value;
  };
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`). */
export const boolean: SettingParser<boolean> = (raw) => {
  if (typeof raw === 'boolean') return raw;
  const value = String(raw).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new SettingProblem('must be true or false', 'Set it to true or false, or unset it for the default.');
};

/** A comma-separated list (or an array), empty items dropped. */
export const list: SettingParser<string[]> = (raw) =>
  (Array.isArray(raw) ? raw.map(String) : String(raw).split(',')).map((item) => item.trim()).filter(Boolean);

/** `host:port` (`[v6]:port` for IPv6), as curl's `--connect-to`. */
export const hostPort: SettingParser<{ readonly host: string; readonly port: number }> = (raw) => {
  const match = /^(\[[^\]]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(String(raw).trim());
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match?.[1] || port < 1 || port > 65535) throw new SettingProblem('must be host:port', 'For example 127.0.0.1:8443 or [::1]:8443.');
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
};

/** A URL that is only an origin (`scheme://host[:port]`), without credentials. */
export const origin: SettingParser<URL> = (raw) => {
  let url: URL;
  try {
    url = new URL(String(raw).trim());
  } catch {
    throw new SettingProblem('is not a valid URL', 'Use an origin such as https://vault.raxx.app.');
  }
  if (url.username || url.password) throw new SettingProblem('must not contain credentials', 'Remove the user:password@ part.');
  if (url.pathname !== '/' || url.search || url.hash)
    throw new SettingProblem('must be an origin without path, query or fragment', 'Use only scheme://host[:port].');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SettingProblem('must use https:', 'Use https://host.');
  return url;
};

/** The text of a PEM file holding at least one certificate. */
export const pemFile: SettingParser<{ readonly path: string; readonly pem: string }> = (raw) => {
  const path = String(raw).trim();
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new SettingProblem('cannot be read', 'Check that the file exists and is readable.', cause);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new SettingProblem('holds no PEM certificate', 'Point it at a PEM file with a CA certificate.');
  return { path, pem };
};

/** An Infisical id (project, identity): letters, digits, `-`, `_`. */
export const id: SettingParser<string> = (raw) => {
  const value = text(raw);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) throw new SettingProblem('is not an id', 'Use the id (a UUID) as Infisical shows it.');
  return value;
};

/** A folder path of the vault (`/MooseQuest/app`). */
export const secretPath: SettingParser<string> = (raw) => {
  const value = text(raw);
  if (!value.startsWith('/')) throw new SettingProblem('must start with /', 'Use a folder path such as /MooseQuest/app.');
  return value;
};
