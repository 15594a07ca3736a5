import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';

const pkgDir = resolve(import.meta.dirname, '../..');
const dist = join(pkgDir, 'dist');

/** Every module a built file imports, following the chunks it loads, without the node: builtins. */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return new Set();
  seen.add(file);
  const text = readFileSync(join(dist, file), 'utf8');
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:from|import\(|require\()\s*["']([^"'\s]+)["']/g)) {
    const spec = m[1] as string;
    if (spec.startsWith('./')) for (const inner of importsOf(spec.slice(2), seen)) out.add(inner);
    else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) out.add(spec);
  }
  return out;
}

describe('the root entry', () => {
  it('re-exports an explicit list of at most 40 names (no export *)', () => {
    const source = readFileSync(join(pkgDir, 'src', 'index.ts'), 'utf8');
    expect(source).not.toMatch(/export \*/);
    expect(Object.keys(root).length).toBeLessThanOrEqual(40);
    const typeAndValueNames = [...source.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
      (m[1] as string)
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    );
    expect(typeAndValueNames.length).toBeLessThanOrEqual(40);
  });

  it('in its built form (ESM and CJS) imports no axios, nor anything but node builtins', () => {
    for (const file of ['index.js', 'index.cjs']) {
      expect([...importsOf(file)], file).toEqual([]);
    }
  });

  it('has one built entry per product, in both formats', () => {
    const files = readdirSync(dist);
    for (const entry of ['index', 'infisical', 'provision', 'mcp', 'doctor', 'process', 'settings']) {
      for (const ext of ['.js', '.cjs', '.d.ts', '.d.cts']) expect(files, `${entry}${ext}`).toContain(`${entry}${ext}`);
    }
  });
});
