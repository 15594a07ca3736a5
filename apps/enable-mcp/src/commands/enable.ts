import { type CliContext, mark } from '@raxx/cli-kit';
import { enableMcp, MCP_CLIENTS } from '@raxx/vault-proxy/mcp';
import { type EntryArgs, entryOptions } from '../mcp-flags.js';
import type { CliIo } from '../output.js';

const GITIGNORE = {
  added: (path: string) => `added /${path} to .gitignore`,
  'already-ignored': () => 'already git-ignored',
  'no-git-repo': () => 'not inside a git repository: nothing to ignore it with — keep this file out of version control',
} as const;

/** `enable-vault-mcp enable`: write the Infisical MCP server entry. */
export async function enableCommand(argv: EntryArgs, io: CliIo, { output }: CliContext): Promise<number> {
  const result = await enableMcp(entryOptions(argv, io.env));
  if (argv.json) {
    output.sayJson({ ok: true, ...result });
    return 0;
  }
  const layout = MCP_CLIENTS[result.client];
  const verb = result.action === 'unchanged' ? 'Already current' : result.action === 'created' ? 'Wrote' : 'Updated';
  output.say(`${mark(true)} ${verb}: ${result.file} (${layout.title}), server "${result.serverName}"`);
  output.say(`  runs     ${result.entry.command} ${result.entry.args.join(' ')}`);
  output.say(`  talks to ${result.entry.env.INFISICAL_HOST_URL} (the vault proxy)`);
  output.say(`  tools    ${result.entry.env.INFISICAL_ENABLED_TOOLS}`);
  if (result.otherServers.length > 0) output.say(`  kept     ${result.otherServers.join(', ')}`);
  output.say(`  git      ${GITIGNORE[result.gitignore](layout.relativePath)}`);
  for (const v of result.variables)
    output.say(`  ${mark(v.set)} ${v.name} ${v.set ? 'is set' : 'is not set: export it before starting the client'}`);
  const reload = result.client === 'claude' ? 'quit and restart Claude Code, or run /mcp' : `reload the ${layout.title} window`;
  output.say(`Next: ${reload}, so the client starts the server with your current environment.`);
  return 0;
}
