import { type OnboardOptions, VaultProxyError } from '@raxx/vault-proxy';
import type { Argv } from 'yargs';

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
  readonly vaultUrl?: string;
  readonly connectTo?: string;
  readonly caFile?: string;
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

const ENV_HELP = `Environment (secrets are read only from here, never from flags: argv is visible in ps):
  CF_ACCESS_CLIENT_ID, CF_ACCESS_CLIENT_SECRET   Cloudflare Access service token
  INFISICAL_CLIENT_ID, INFISICAL_CLIENT_SECRET   the admin machine identity
  INFISICAL_PROJECT_ID                           the Infisical project
  VAULT_PROXY_UPSTREAM, VAULT_PROXY_CONNECT_TO, VAULT_PROXY_CA_FILE, VAULT_PROXY_USER_AGENT   as for vault-proxy (flags win)`;

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

/** The flags locating the vault (secrets come from the environment). */
export function vaultFlags<T>(y: Argv<T>): Argv<T> {
  const group = 'Vault (flag wins over env):';
  return (
    y
      .option('vault-url', { type: 'string', group, describe: 'vault origin [env VAULT_PROXY_UPSTREAM] [default: https://vault.raxx.app]' })
      .option('connect-to', { type: 'string', group, describe: 'host:port to dial instead of the vault host [env VAULT_PROXY_CONNECT_TO]' })
      .option('ca-file', { type: 'string', group, describe: 'extra PEM CA to trust [env VAULT_PROXY_CA_FILE]' })
      .option('json', { type: 'boolean', describe: 'print one JSON result instead of lines' })
      // Declared (hidden) only to refuse it clearly instead of "unknown argument".
      .option('client-secret', { type: 'string', hidden: true })
      .epilogue(ENV_HELP) as Argv<T>
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
    throw new VaultProxyError(
      'CONFIG_INVALID',
      '--client-secret is not accepted: command lines are visible in ps. Export it in the environment.',
      {
        details: { field: '--client-secret', hint: 'Export INFISICAL_CLIENT_SECRET / CF_ACCESS_CLIENT_SECRET.' },
      },
    );
  }
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Flags → library options (values as given; the library validates and names the field). */
export function optionsFrom(argv: ProvisionArgs): OnboardOptions {
  refuseSecretFlags(argv);
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
    vaultUrl: argv.vaultUrl,
    connectTo: argv.connectTo,
    caFile: argv.caFile,
    proxyUrl: argv.proxyUrl,
    allowBroad: argv.allowBroad,
    manifest: argv.manifest,
    rotationIntervalDays: argv.rotationIntervalDays,
    verify: argv.verify,
    probeKey: argv.probeKey,
    probePath: argv.probePath,
    outOfScopePath: argv.outOfScopePath,
  });
}
