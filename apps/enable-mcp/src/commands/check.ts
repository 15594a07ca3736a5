import { checkMcp } from '@raxx/vault-proxy';
import { type EntryArgs, entryOptions } from '../mcp-flags.js';
import { type CliIo, mark, printJson } from '../output.js';

const ENTRY = {
  current: (file: string) => `entry present and current in ${file}`,
  outdated: (file: string) => `entry in ${file} differs from what enable would write now`,
  'missing-entry': (file: string) => `${file} has no Infisical entry: run enable`,
  'missing-file': (file: string) => `${file} does not exist: run enable`,
  malformed: (file: string) => `${file} is not valid JSON: fix it by hand`,
} as const;

/** `enable-vault-mcp check`: entry current? variables set? proxy answering? Exit 1 when not. */
export async function checkCommand(argv: EntryArgs, io: CliIo): Promise<number> {
  const result = await checkMcp(entryOptions(argv, io.env));
  if (argv.json) {
    printJson(io, result);
    return result.ok ? 0 : 1;
  }
  const current = result.entry === 'current';
  io.out(`${mark(current)} ${ENTRY[result.entry](result.file)}`);
  if (result.differences.length > 0) io.out(`    differs in: ${result.differences.join(', ')}`);
  for (const v of result.variables) io.out(`${mark(v.set)} ${v.name} ${v.set ? 'is set' : 'is not set'}`);
  const pid = result.proxy.pid === undefined ? '' : ` (pid ${result.proxy.pid})`;
  io.out(
    `${mark(result.proxy.answers)} proxy ${result.proxy.answers ? `answers at ${result.proxy.url}${pid}` : `does not answer at ${result.proxy.url}: start it (vault-proxy start)`}`,
  );
  return result.ok ? 0 : 1;
}
