import { envHelp, flagOf, operatorPath, settingFlagFor, settingOptions, withSettingFlags } from '@raxx/cli-kit';
import { VaultProxyError } from '@raxx/vault-proxy';
import type { OnboardOptions } from '@raxx/vault-proxy/provision';
import type { SettingName } from '@raxx/vault-proxy/settings';
import type { Argv } from 'yargs';

/** The vault settings every provisioning command takes as flags (the project too: a flag wins over INFISICAL_PROJECT_ID). */
const VAULT_SETTINGS: readonly SettingName[] = ['upstream', 'connectTo', 'caFile', 'userAgent', 'projectId'];

/** Every flag a command may get, as yargs parses them (camel-cased). */
export interface ProvisionArgs {
  readonly identityName?: string;
  readonly agentName?: string;
  readonly scope?: string;
  readonly environment?: string;
  readonly credsPath?: string;
  readonly root?: string;
  readonly slug?: string;
  readonly accessTokenTtl?: number;
  readonly accessTokenMaxTtl?: number;
  readonly upstream?: string;
  readonly userAgent?: string;
  readonly connectTo?: string;
  readonly caFile?: string;
  readonly projectId?: string;
  readonly proxyUrl?: string;
  readonly allowBroad?: boolean;
  readonly manifest?: string;
  readonly rotationIntervalDays?: number;
  readonly due?: boolean;
  readonly verify?: boolean;
  readonly probeKey?: string;
  readonly probePath?: string;
  readonly outOfScopePath?: string;
  readonly json?: boolean;
  readonly clientSecret?: string;
}

/** The flags naming the identity and where its credentials live. */
export function identityFlags<T>(y: Argv<T>, required: boolean): Argv<T> {
  const group = 'Identity:';
  return y
    .option('identity-name', { type: 'string', group, describe: `machine identity name${required ? ' (required)' : ''}` })
    .option('agent-name', {
      type: 'string',
      group,
      describe: `agent name; stored keys are <AGENT>_CLIENT_ID / <AGENT>_CLIENT_SECRET${required ? ' (required)' : ''}`,
    })
    .option('environment', { type: 'string', group, describe: 'environment slug [default: prod]' })
    .option('root', { type: 'string', group, describe: 'configured root every scope must lie in [default: /MooseQuest]' })
    .option('creds-path', {
      type: 'string',
      group,
      describe: 'folder of the stored credentials [default: <root>/identities/<identity-name>]',
    })
    .option('slug', { type: 'string', group, describe: 'additional privilege slug [default: <agent-name>-read]' }) as Argv<T>;
}

/** The flags locating the vault, from the settings table (secrets come from the environment only). */
export function vaultFlags<T>(y: Argv<T>): Argv<T> {
  return (
    withSettingFlags(y, VAULT_SETTINGS, 'Vault (a flag wins over its variable):')
      // The flag's earlier name, kept so existing scripts keep working.
      .alias('upstream', 'vault-url')
      .option('json', { type: 'boolean', describe: 'print one JSON result instead of lines' })
      // Declared (hidden) only to refuse it clearly instead of "unknown argument".
      .option('client-secret', { type: 'string', hidden: true })
      .epilogue(envHelp('vault-provision')) as Argv<T>
  );
}

/** The flags of Step 10. */
export function verifyFlags<T>(y: Argv<T>): Argv<T> {
  const group = 'Verify (Step 10):';
  return y
    .option('proxy-url', {
      type: 'string',
      group,
      describe: 'verify through this running proxy [default: one started in-process on an ephemeral port]',
    })
    .option('probe-key', { type: 'string', group, describe: 'secret in scope to read [default: the first one found in the scope]' })
    .option('probe-path', { type: 'string', group, describe: 'folder of --probe-key' })
    .option('out-of-scope-path', {
      type: 'string',
      group,
      describe: 'folder outside the scope to read [default: /MooseQuest/cloudflare]',
    }) as Argv<T>;
}

/** Refuse a secret passed as a flag. */
export function refuseSecretFlags(argv: ProvisionArgs): void {
  if (argv.clientSecret !== undefined) {
    throw new VaultProxyError('CONFIG_INVALID', '--client-secret is not accepted: command lines are visible in ps.', {
      details: { hint: 'Export INFISICAL_CLIENT_SECRET (or CF_ACCESS_CLIENT_SECRET) in the environment instead.' },
    });
  }
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Flags → library options (values as given; the library validates and names
 * the field). File flags (`--manifest`, `--ca-file`) are taken from the
 * directory the operator typed the command in and passed on absolute, so
 * pnpm running the script in apps/provision changes nothing and every
 * message names the real file.
 */
export function optionsFrom(argv: ProvisionArgs): OnboardOptions {
  refuseSecretFlags(argv);
  const vault = settingOptions(argv as Record<string, unknown>, VAULT_SETTINGS);
  if (typeof vault.caFile === 'string') vault.caFile = operatorPath(vault.caFile);
  return defined({
    identityName: argv.identityName,
    agentName: argv.agentName,
    scope: argv.scope,
    environment: argv.environment,
    root: argv.root,
    credsPath: argv.credsPath,
    slug: argv.slug,
    accessTokenTTL: argv.accessTokenTtl,
    accessTokenMaxTTL: argv.accessTokenMaxTtl,
    ...vault,
    proxyUrl: argv.proxyUrl,
    allowBroad: argv.allowBroad,
    manifest: operatorPath(argv.manifest),
    rotationIntervalDays: argv.rotationIntervalDays,
    verify: argv.verify,
    probeKey: argv.probeKey,
    probePath: argv.probePath,
    outOfScopePath: argv.outOfScopePath,
  });
}

/** Options whose flag is not their kebab-case name. */
const FLAGS: Readonly<Record<string, string>> = { accessTokenTTL: '--access-token-ttl', accessTokenMaxTTL: '--access-token-max-ttl' };

/** The flag a library option comes from on this command line (see `runCli`'s `flagFor`). */
export function provisionFlagFor(option: string): string {
  return FLAGS[option] ?? settingFlagFor(option) ?? flagOf(option);
}
