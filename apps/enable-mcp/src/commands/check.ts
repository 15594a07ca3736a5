import type { CliContext } from '@raxx/cli-kit';
import { checkMcp } from '@raxx/vault-proxy/mcp';
import { type EntryArgs, entryOptions } from '../mcp-flags.js';
import type { CliIo } from '../output.js';

const ENTRY = {
  current: (file: string) => `entry present and current in ${file}`,
  outdated: (file: string) => `entry in ${file} differs from what enable would write now`,
  'missing-entry': (file: string) => `${file} has no Infisical entry: run enable-vault-mcp enable`,
  'missing-file': (file: string) => `${file} does not exist: run enable-vault-mcp enable`,
  malformed: (file: string) => `${file} cannot be read: fix it by hand`,
} as const;

/** `enable-vault-mcp check`: entry current? variables set? proxy answering, and the vault through it? Exit 1 when not. */
export async function checkCommand(argv: EntryArgs, io: CliIo, { output }: CliContext): Promise<number> {
  const result = await checkMcp(entryOptions(argv, io.env));
  if (argv.json) {
    output.sayJson(result);
    return result.ok ? 0 : 1;
  }
  const current = result.entry === 'current';
  output.outcome({
    outcome: current ? 'pass' : 'fail',
    title: 'MCP config',
    detail: result.problem ?? ENTRY[result.entry](result.file),
    ...(result.differences.length > 0 ? { fix: `differs in ${result.differences.join(', ')}: run enable-vault-mcp enable again` } : {}),
  });
  for (const v of result.variables)
    output.outcome({ outcome: v.set ? 'pass' : 'fail', title: v.name, detail: v.set ? 'is set' : 'is not set', fix: `Export ${v.name}.` });
  const pid = result.proxy.pid === undefined ? '' : ` (pid ${result.proxy.pid})`;
  output.outcome({
    outcome: result.proxy.answers ? 'pass' : 'fail',
    title: 'proxy',
    detail: result.proxy.answers ? `answers at ${result.proxy.url}${pid}` : `does not answer at ${result.proxy.url}`,
    fix: 'Start it: vault-proxy start --detach (failure mode A).',
  });
  const vault = result.proxy.vault;
  if (vault) output.outcome({ outcome: vault.ok ? 'pass' : 'fail', title: 'vault', detail: vault.detail, fix: vault.fix });
  return result.ok ? 0 : 1;
}
