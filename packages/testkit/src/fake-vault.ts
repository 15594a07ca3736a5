import { resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { writeEnvFile } from './env-file.js';
import { startFakeVault } from './fake-vault-server.js';
import { createFaultInjector } from './fault-injector.js';
import { parseFaultSpec } from './fault-spec.js';
import { SERVER_PROFILES, type ServerProfile } from './model/server-profile.js';
import { createVaultModel } from './model/vault-model.js';

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

async function main(): Promise<void> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('fake-vault')
    .usage('$0 [options]\n\nServe a fake Infisical behind a fake Cloudflare Access on loopback HTTPS (for tests and the demo).')
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to bind (loopback)' })
    .option('port', { type: 'number', default: 0, describe: 'Port to bind (0 = ephemeral)' })
    .option('env-file', {
      type: 'string',
      alias: 'write-env',
      // Node 20 itself parses `--env-file` anywhere in argv (and exits 9 when the file is missing), hence the alias.
      describe: 'Write KEY=VALUE lines for clients here (mode 0600). On Node 20 use --write-env, or create the file first',
    })
    .option('fail', { type: 'string', array: true, describe: "Answer an error: '[METHOD] /glob=STATUS[xN]'" })
    .option('latency', { type: 'string', array: true, describe: "Delay: 'MS' (all requests) or '[METHOD] /glob=MS[xN]'" })
    .option('reset', { type: 'string', array: true, describe: "Drop the connection: '[METHOD] /glob[=xN]'" })
    .option('server-profile', {
      choices: SERVER_PROFILES,
      default: 'current',
      describe: 'Answer as the newest Infisical (current) or an older self-hosted build (legacy)',
    })
    .option('permission-cache-ms', {
      type: 'number',
      default: 0,
      describe: 'Reuse permission sets this long, as a real server does (about 10000); 0 applies changes at once',
    })
    .option('enforce-capitalization', { type: 'boolean', default: false, describe: 'Refuse lower-case secret names (project setting)' })
    .option('secret-detection-path', {
      type: 'string',
      array: true,
      describe: 'Turn on the secret-detection policy for secretPath globs (high-entropy values are refused)',
    })
    .option('privilege-routes', {
      type: 'boolean',
      default: true,
      describe: 'Serve /api/v2/identity-project-additional-privilege (--no-privilege-routes: a build that predates it)',
    })
    .strict()
    .help()
    .parseAsync();

  const faults = createFaultInjector();
  try {
    for (const spec of asList(argv.fail)) faults.add(parseFaultSpec('fail', spec));
    for (const spec of asList(argv.latency)) faults.add(parseFaultSpec('latency', spec));
    for (const spec of asList(argv.reset)) faults.add(parseFaultSpec('reset', spec));
  } catch (err) {
    console.error(`fake-vault: ${(err as Error).message}`);
    process.exitCode = 2;
    return;
  }

  const detection = asList(argv['secret-detection-path']);
  let model: ReturnType<typeof createVaultModel>;
  try {
    model = createVaultModel({
      server: argv['server-profile'] as ServerProfile,
      permissionCacheMs: argv['permission-cache-ms'],
      enforceCapitalization: argv['enforce-capitalization'],
      v2PrivilegeRoutes: argv['privilege-routes'],
      ...(detection.length > 0 ? { secretDetection: { paths: detection } } : {}),
    });
  } catch (err) {
    console.error(`fake-vault: ${(err as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const vault = await startFakeVault({ host: argv.host, port: argv.port, faults, model });
  const envFile = argv['env-file'] ? resolve(argv['env-file']) : undefined;
  if (envFile) await writeEnvFile(envFile, vault.env);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    vault.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The one line on stdout: addresses and file paths only, never a credential.
  console.log(`fake-vault ready ${vault.origin} via ${vault.connectTo} ca=${vault.caFile}${envFile ? ` env=${envFile}` : ''}`);
}

main().catch((err: unknown) => {
  console.error(`fake-vault: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
