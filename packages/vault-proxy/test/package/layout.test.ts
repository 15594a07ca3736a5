import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The folder rules of docs/architecture.md, checked on the sources.
const src = resolve(import.meta.dirname, '../../src');
const PRODUCTS = ['proxy', 'infisical', 'provision', 'mcp', 'doctor', 'process'];
const SHARED = ['connection', 'cloudflare', 'settings', 'files', 'identity'];
/** Product folders a product folder must never import, even through an index. */
const NEVER: Record<string, readonly string[]> = {
  proxy: ['infisical', 'provision', 'mcp', 'doctor', 'process'],
  infisical: ['proxy', 'provision', 'mcp', 'doctor', 'process'],
  process: ['proxy', 'infisical', 'provision', 'mcp', 'doctor'],
  // The session start (start-session.ts) logs in through the proxy with the Infisical client.
  mcp: ['proxy', 'provision', 'doctor'],
  provision: ['mcp', 'doctor', 'process'],
  doctor: ['provision'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** `[folder of the file, folder imported, file imported]` for each relative import leaving the file's folder. */
function crossImports(): { file: string; from: string; to: string; target: string }[] {
  const out: { file: string; from: string; to: string; target: string }[] = [];
  for (const file of sources(src)) {
    const rel = relative(src, file).split('/');
    const from = rel.length > 1 ? (rel[0] as string) : '.';
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = relative(src, resolve(file, '..', m[1] as string)).split('/');
      const to = target.length > 1 ? (target[0] as string) : '.';
      if (to !== from) out.push({ file: relative(src, file), from, to, target: target.join('/') });
    }
  }
  return out;
}

describe('the folder rules', () => {
  const edges = crossImports();

  it('one product imports another only through its index', () => {
    const bad = edges.filter((e) => PRODUCTS.includes(e.to) && !e.target.endsWith('/index.js') && e.from !== '.');
    expect(bad.map((e) => `${e.file} → ${e.target}`)).toEqual([]);
  });

  it('shared folders and root files never import a product', () => {
    const bad = edges.filter((e) => (SHARED.includes(e.from) || e.from === '.') && PRODUCTS.includes(e.to) && e.file !== 'index.ts');
    expect(bad.map((e) => `${e.file} → ${e.target}`)).toEqual([]);
  });

  it('no product imports the ones it must not depend on', () => {
    const bad = edges.filter((e) => NEVER[e.from]?.includes(e.to));
    expect(bad.map((e) => `${e.file} → ${e.target}`)).toEqual([]);
  });

  it('no source file is over 300 lines', () => {
    const long = sources(src).filter((f) => readFileSync(f, 'utf8').split('\n').length > 300);
    expect(long.map((f) => relative(src, f))).toEqual([]);
  });
});
