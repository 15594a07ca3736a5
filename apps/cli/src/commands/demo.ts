import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type CliContext, envHelp, operatorPath, settingDescribe, settingOptions, withSettingFlags } from '@raxx/cli-kit';
import { createProxy, type ProxyAddress, resolveProxyOptions } from '@raxx/vault-proxy';
import { resolvePidFile, resolveProcessTarget } from '@raxx/vault-proxy/process';
import type { Argv } from 'yargs';
import { describeRoute, serveUntilSignal } from '../serve.js';

/** Flags of `vault-proxy demo`. */
export interface DemoArgs {
  readonly port?: string;
  readonly writeEnv?: string;
  readonly pidFile?: string;
  readonly logFormat?: string;
  readonly logLevel?: string;
}

/** The proxy's own settings the demo takes as flags (everything about the vault comes from the fake one). */
const DEMO_LOG_SETTINGS = ['logFormat', 'logLevel'] as const;

/** yargs builder of `demo`. */
export function demoBuilder<T>(y: Argv<T>): Argv<T> {
  return (
    withSettingFlags(y, DEMO_LOG_SETTINGS)
      .option('port', { type: 'string', describe: settingDescribe('port', 'proxy port (0 picks a free one)') })
      // Not `--env-file`: Node 20 takes that from anywhere on its command line as its own option.
      .option('write-env', {
        type: 'string',
        describe: "where to write the fake vault's variables (mode 0600; removed on exit) [default: next to the pid file]",
      })
      .option('pid-file', { type: 'string', describe: settingDescribe('pidFile', 'pid file') })
      .epilogue(
        `Starts a fake vault (Cloudflare Access in front of Infisical, on loopback HTTPS with its own CA) and the proxy in front of it, exactly as in production: only the upstream, the dialled address and the trusted CA differ. Prints commands to try; Ctrl-C (or SIGTERM) stops both and removes the env file.\n\n${envHelp('vault-proxy', ['port', 'logFormat', 'logLevel', 'pidFile'])}`,
      ) as Argv<T>
  );
}

/** Single-quote a path for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * What a newcomer can paste: every command goes through the proxy (the fake
 * Cloudflare blocks curl's own User-Agent) and reads credentials from the
 * sourced env file, so no secret value is ever printed.
 */
export function tryLines(address: ProxyAddress, envFile: string, cli = 'vault-proxy'): string[] {
  const base = address.url;
  const json = (expr: string) => `node -pe ${shellQuote(`const r=JSON.parse(require("fs").readFileSync(0));${expr}`)}`;
  return [
    `set -a; . ${shellQuote(envFile)}; set +a`,
    `curl -s ${base}/api/status; echo`,
    `TOKEN=$(curl -s -X POST ${base}/api/v1/auth/universal-auth/login -H 'Content-Type: application/json' -d "{\\"clientId\\":\\"$INFISICAL_CLIENT_ID\\",\\"clientSecret\\":\\"$INFISICAL_CLIENT_SECRET\\"}" | ${json('r.accessToken')})`,
    `curl -s -G "${base}/api/v3/secrets/raw/$VAULT_PROBE_KEY" -H "Authorization: Bearer $TOKEN" --data-urlencode "workspaceId=$INFISICAL_PROJECT_ID" --data-urlencode environment=prod --data-urlencode "secretPath=$VAULT_PROBE_PATH" | ${json('r.secret.secretKey+" v"+r.secret.version+": "+r.secret.secretValue.length+" characters (value not shown)"')}`,
    `${cli} status --port ${address.port}`,
    `${cli} doctor --port ${address.port}`,
  ];
}

/** `vault-proxy demo`: a fake vault and the proxy in front of it, until Ctrl-C. */
export async function demoCommand(argv: DemoArgs, { output }: CliContext): Promise<number> {
  const { say } = output;
  // Only the port comes from the environment: the fake vault replaces everything else about the vault.
  const { port } = resolveProcessTarget({ port: argv.port }, { VAULT_PROXY_PORT: process.env.VAULT_PROXY_PORT });
  const pidFile = resolvePidFile({ pidFile: operatorPath(argv.pidFile), port });
  let envFile: string | undefined;
  // Loaded only here: the other commands never pay for the fake vault (msw, certificates).
  const { startFakeVault, writeEnvFile } = await import('@raxx/vault-testkit');
  const fake = await startFakeVault({ port: 0 });
  try {
    const env = { ...process.env, ...fake.env };
    const options = { ...settingOptions(argv as Record<string, unknown>, DEMO_LOG_SETTINGS), host: '127.0.0.1', port };
    const resolved = resolveProxyOptions(options, env);
    const proxy = createProxy(options, env);
    await serveUntilSignal(proxy, resolved, pidFile, async (address) => {
      envFile = operatorPath(argv.writeEnv) ?? join(dirname(pidFile), `vault-proxy-demo-${address.port}.env`);
      await writeEnvFile(envFile, { ...fake.env, VAULT_PROXY_PORT: String(address.port) });
      say(`vault-proxy demo: a fake ${fake.origin} (Cloudflare Access + Infisical) on ${fake.connectTo}, and the proxy in front of it`);
      say(`  proxy     ${describeRoute(address, resolved)} (pid ${process.pid})`);
      say(`  env file  ${envFile} (mode 0600: the fake vault's credentials, for your shell)`);
      say('');
      say('Try, in another shell (credentials come from the env file; nothing secret is printed):');
      // Not on PATH when run from a clone: name the script that is running.
      const cli = `node ${shellQuote(process.argv[1] ?? 'vault-proxy')}`;
      for (const line of tryLines(address, envFile, cli)) say(`  ${line}`);
      say('');
      say('Ctrl-C stops the proxy and the fake vault, and removes the env file.');
    });
  } finally {
    // Its credentials die with the fake vault: leave nothing behind on Ctrl-C or SIGTERM.
    if (envFile !== undefined) await rm(envFile, { force: true });
    await fake.close();
  }
  return 0;
}
