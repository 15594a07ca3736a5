import { readFileSync } from 'node:fs';

/**
 * The `version` of the package.json at `url`, e.g.
 * `packageVersion(new URL('../package.json', import.meta.url))` from a file
 * one level below it (src/ and dist/ both are). `0.0.0` when it has none.
 */
export function packageVersion(url: URL): string {
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
