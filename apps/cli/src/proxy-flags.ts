import { operatorPath, settingOptions, withSettingFlags } from '@raxx/cli-kit';
import { type ProxyOptions, VaultProxyError } from '@raxx/vault-proxy';
import type { SettingName } from '@raxx/vault-proxy/settings';
import type { Argv } from 'yargs';

/** The settings `vault-proxy start` takes as flags (the secrets are environment-only and have none). */
export const START_SETTINGS: readonly SettingName[] = [
  'host',
  'port',
  'upstream',
  'userAgent',
  'connectTo',
  'caFile',
  'upstreamTimeoutMs',
  'idleTimeoutMs',
  'allowedHosts',
  'logFormat',
  'logLevel',
  'poolSize',
  'renewTokens',
];

/** The settings naming which proxy a process command is about. */
export const TARGET_SETTINGS: readonly SettingName[] = ['host', 'port', 'pidFile'];

/** The proxy flags of `start`, plus hidden secret flags declared only to refuse them clearly. */
export function withProxyFlags<T>(y: Argv<T>): Argv<T> {
  return withSettingFlags(y, START_SETTINGS, 'Proxy (a flag wins over its variable):')
    .option('cf-access-client-secret', { type: 'string', hidden: true })
    .option('cf-access-client-id', { type: 'string', hidden: true }) as Argv<T>;
}

/**
 * Flags → {@link ProxyOptions}, values as given (the library parses,
 * validates and names the option at fault), except that `--ca-file` is
 * taken from the directory the operator typed the command in.
 */
export function proxyOptionsFrom(argv: Readonly<Record<string, unknown>>): ProxyOptions {
  if (argv.cfAccessClientSecret !== undefined || argv.cfAccessClientId !== undefined) {
    throw new VaultProxyError(
      'CONFIG_INVALID',
      'The Cloudflare Access token is not accepted as a flag: command lines are visible to every user in ps.',
      { details: { hint: 'Export CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET in the environment instead.' } },
    );
  }
  const options = settingOptions(argv, START_SETTINGS) as ProxyOptions;
  return typeof options.caFile === 'string' ? { ...options, caFile: operatorPath(options.caFile) } : options;
}
