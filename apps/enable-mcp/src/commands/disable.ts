import type { CliContext } from '@raxx/cli-kit';
import { disableMcp } from '@raxx/vault-proxy/mcp';
import type { TargetArgs } from '../mcp-flags.js';
import type { CliIo } from '../output.js';

/** `enable-vault-mcp disable`: remove only the Infisical entry. */
export async function disableCommand(argv: TargetArgs, io: CliIo, { output }: CliContext): Promise<number> {
  const result = await disableMcp({ dir: argv.dir, client: argv.client, env: io.env });
  if (argv.json) {
    output.sayJson({ ok: true, ...result });
    return 0;
  }
  const kept = result.otherServers.length > 0 ? ` (kept ${result.otherServers.join(', ')})` : '';
  const line = {
    'removed-file': `removed ${result.file} (the Infisical entry was all it held)${result.removedDir ? ` and the empty ${result.removedDir}` : ''}`,
    'removed-entry': `removed the Infisical entry from ${result.file}${kept}`,
    'no-entry': `nothing to do: ${result.file} has no Infisical entry${kept}`,
    'no-file': `nothing to do: ${result.file} does not exist`,
  }[result.action];
  output.say(line);
  return 0;
}
