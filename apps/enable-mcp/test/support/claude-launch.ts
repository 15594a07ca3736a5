import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Expand environment references the way Claude Code does in `.mcp.json`:
 * `${VAR}` and `${VAR:-default}`; a bare `$VAR` is left alone, and an unset
 * `${VAR}` without default stays as literal text.
 */
export function expandClaudeReferences(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback: string | undefined) => {
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    return fallback ?? whole;
  });
}

/** A stdio server entry as found in a client config. */
export interface StdioEntry {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The local equivalent of `npx -y <name>@<version>`: node running the
 * installed package's bin, after checking the installed version is the one
 * pinned, so the test needs no network. Anything else is refused.
 */
export function resolveNpxToLocalBin(entry: StdioEntry): { command: string; args: string[] } {
  const [flag, spec, ...rest] = entry.args;
  const match = spec === undefined ? null : /^(@?[^@]+)@(.+)$/.exec(spec);
  if (entry.command !== 'npx' || flag !== '-y' || !match?.[1] || !match[2]) {
    throw new Error(`not an "npx -y name@version" entry: ${entry.command} ${entry.args.join(' ')}`);
  }
  const manifestPath = require.resolve(`${match[1]}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; bin: string | Record<string, string> };
  if (manifest.version !== match[2]) throw new Error(`installed ${match[1]} is ${manifest.version}, config pins ${match[2]}`);
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0];
  if (!bin) throw new Error(`${match[1]} has no bin`);
  return { command: process.execPath, args: [join(dirname(manifestPath), bin), ...rest] };
}
