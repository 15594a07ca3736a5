import { settingDescribe } from '@raxx/cli-kit';
import {
  DEFAULT_MCP_TOOLS,
  INFISICAL_MCP_PACKAGE,
  MCP_CLIENT_ID_VAR,
  MCP_CLIENT_NAMES,
  MCP_CLIENT_SECRET_VAR,
  type McpClient,
} from '@raxx/vault-proxy/mcp';
import type { Argv } from 'yargs';

/** Flags every command takes. */
export interface TargetArgs {
  readonly dir?: string;
  readonly client: McpClient;
  readonly json?: boolean;
}

/** Flags that decide what the entry says (enable, check). */
export interface EntryArgs extends TargetArgs {
  readonly port?: number;
  readonly package?: string;
  readonly tools?: string;
  readonly allowWriteTools?: boolean;
  readonly clientIdRef?: string;
  readonly clientSecretRef?: string;
}

/** `--dir`, `--client`, `--json`. */
export function targetBuilder<T>(y: Argv<T>): Argv<T> {
  return y
    .option('dir', { type: 'string', describe: 'directory to write into [default: git top level of where you ran the command]' })
    .option('client', {
      choices: MCP_CLIENT_NAMES,
      default: 'claude',
      describe: 'claude: .mcp.json · cursor: .cursor/mcp.json · vscode: .vscode/mcp.json',
    })
    .option('json', { type: 'boolean', describe: 'print the result as JSON' }) as Argv<T>;
}

/** The entry flags on top of the target flags. */
export function entryBuilder<T>(y: Argv<T>): Argv<T> {
  return targetBuilder(y)
    .option('port', { type: 'number', describe: settingDescribe('port', 'proxy port the server talks to') })
    .option('package', { type: 'string', describe: `npm package launched with npx -y [default: ${INFISICAL_MCP_PACKAGE}]` })
    .option('tools', { type: 'string', describe: `comma-separated INFISICAL_ENABLED_TOOLS [default: ${DEFAULT_MCP_TOOLS.join(',')}]` })
    .option('allow-write-tools', { type: 'boolean', describe: 'allow tools that change the vault (create/update/delete-secret, …)' })
    .option('client-id-ref', { type: 'string', describe: `reference to the client id [default: \${${MCP_CLIENT_ID_VAR}}]` })
    .option('client-secret-ref', {
      type: 'string',
      describe: `reference to the client secret [default: \${${MCP_CLIENT_SECRET_VAR}}]`,
    }) as Argv<T>;
}

/** Library options from the entry flags. */
export function entryOptions(argv: EntryArgs, env: Readonly<Record<string, string | undefined>>) {
  return {
    dir: argv.dir,
    client: argv.client,
    env,
    port: argv.port,
    packageSpec: argv.package,
    tools: argv.tools?.split(','),
    allowWriteTools: argv.allowWriteTools,
    clientIdRef: argv.clientIdRef,
    clientSecretRef: argv.clientSecretRef,
  };
}
