import { type LogFormat, type LogLevel, PROXY_ENV, type ProxyEnvBinding, type ProxyOptions, VaultProxyError } from '@raxx/vault-proxy';
import type { Argv, Options } from 'yargs';

/** `cfAccessClientId` → `cf-access-client-id`. */
export function flagName(option: string): string {
  return option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

const NUMERIC: ReadonlySet<keyof ProxyOptions> = new Set(['port', 'upstreamTimeoutMs', 'poolSize']);

/** Bindings that become flags: every one but the secrets, which are read from the environment only. */
const FLAG_BINDINGS = PROXY_ENV.filter((b) => !b.secret);

function describe(b: ProxyEnvBinding): string {
  return `${b.description} [env ${b.env}] [default: ${b.defaultText}]`;
}

/**
 * Add one flag per non-secret {@link PROXY_ENV} row. No yargs defaults: an
 * unset flag falls through to its environment variable, then the library default.
 */
export function withProxyFlags<T>(y: Argv<T>, only?: readonly (keyof ProxyOptions)[]): Argv<T> {
  let out = y;
  for (const b of FLAG_BINDINGS) {
    if (only && !only.includes(b.option)) continue;
    const option: Options = { type: 'string', describe: describe(b), group: 'Proxy (flag wins over env):' };
    out = out.option(flagName(b.option), option) as Argv<T>;
  }
  // Declared (hidden) only to refuse it with a clear message instead of "unknown argument".
  return out.option('cf-access-client-secret', { type: 'string', hidden: true }) as Argv<T>;
}

/** Help rows of the proxy's environment variables (all, or `only` those), including the secret one that has no flag. */
export function proxyEnvRows(only?: readonly string[]): [string, string][] {
  return PROXY_ENV.filter((b) => !only || only.includes(b.env)).map((b) => [
    b.env,
    b.secret
      ? `${b.description} ${b.defaultText}; environment only, never a flag (argv is visible in ps)`
      : `${b.description} [default: ${b.defaultText}]`,
  ]);
}

/** An "Environment:" help section. */
export function envHelp(rows: readonly [string, string][]): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return `Environment:\n${rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`).join('\n')}`;
}

/** Help rows for the pid file variable. */
export const PID_FILE_HELP: [string, string] = [
  'VAULT_PROXY_PID_FILE',
  'pid file [default: $XDG_RUNTIME_DIR/vault-proxy/vault-proxy-<port>.pid, else $TMPDIR/vault-proxy-<uid>/vault-proxy-<port>.pid]',
];

/**
 * Flags → {@link ProxyOptions}. Values are passed as given; the library
 * validates them, and {@link flagError} renames its "option `x`" to `--x`.
 */
export function proxyOptionsFrom(argv: Readonly<Record<string, unknown>>): ProxyOptions {
  if (argv.cfAccessClientSecret !== undefined) {
    throw new VaultProxyError(
      'CONFIG_INVALID',
      '--cf-access-client-secret is not accepted: command lines are visible to every user in ps. Export CF_ACCESS_CLIENT_SECRET instead.',
      { details: { field: '--cf-access-client-secret', hint: 'Export CF_ACCESS_CLIENT_SECRET in the environment.' } },
    );
  }
  const options: Record<string, unknown> = {};
  for (const b of FLAG_BINDINGS) {
    const raw = argv[b.option];
    if (raw === undefined) continue;
    const text = String(raw);
    if (NUMERIC.has(b.option)) options[b.option] = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
    else if (b.option === 'allowedHosts') options[b.option] = text.split(',').map((h) => h.trim());
    else options[b.option] = text;
  }
  return options as ProxyOptions & { logFormat?: LogFormat; logLevel?: LogLevel };
}

/**
 * The library names an explicit option as "option `port`"; on the command
 * line that option is the flag `--port`.
 */
export function flagError(error: unknown): unknown {
  if (!(error instanceof VaultProxyError) || error.code !== 'CONFIG_INVALID') return error;
  const match = /^option `(\w+)`$/.exec(String(error.details.field ?? ''));
  if (!match?.[1]) return error;
  const flag = `--${flagName(match[1])}`;
  const rename = (text: string) => text.split(`option \`${match[1]}\``).join(flag);
  return new VaultProxyError(error.code, rename(error.message), {
    cause: error,
    details: { ...error.details, field: flag, ...(error.details.hint ? { hint: rename(error.details.hint) } : {}) },
  });
}
