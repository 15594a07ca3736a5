import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Another repository's view of the library: the release tarball made by `pnpm release:pack` (what other
// repositories install), unpacked into a project outside the workspace. Dependencies are linked from this
// workspace's store instead of downloaded, so the test stays off the network.
const pkgDir = resolve(import.meta.dirname, '../..');
const repoRoot = resolve(pkgDir, '../..');
const require = createRequire(join(pkgDir, 'package.json'));
let consumer: string;

/** Every entry of the exports map, and one runtime export each must have. */
const ENTRIES: Record<string, string> = {
  '@raxx/vault-proxy': 'createProxy',
  '@raxx/vault-proxy/infisical': 'createInfisicalClient',
  '@raxx/vault-proxy/provision': 'onboardIdentity',
  '@raxx/vault-proxy/mcp': 'enableMcp',
  '@raxx/vault-proxy/doctor': 'runDoctor',
  '@raxx/vault-proxy/process': 'stopProxy',
  '@raxx/vault-proxy/settings': 'SETTINGS',
};

function link(name: string, from: string): void {
  const target = join(consumer, 'node_modules', name);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(from, target, 'dir');
}

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: consumer, encoding: 'utf8' });
}

beforeAll(() => {
  consumer = realpathSync(mkdtempSync(join(tmpdir(), 'vault-proxy-consumer-')));
  const packDir = join(consumer, 'pack');
  // The documented release command (the suite has built the package already).
  const tarball = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'release-pack.mjs'), '--skip-build', '--out', packDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  expect(dirname(tarball)).toBe(packDir);
  const installed = join(consumer, 'node_modules', '@raxx', 'vault-proxy');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  link('axios', dirname(require.resolve('axios/package.json')));
  link('jsonc-parser', dirname(require.resolve('jsonc-parser/package.json')));
  link('@types/node', dirname(require.resolve('@types/node/package.json')));
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
}, 60_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe('the released @raxx/vault-proxy in a project outside the workspace', () => {
  it('is named after its version and ships only dist, package.json and the changelog', () => {
    const version = (require('./package.json') as { version: string }).version;
    expect(readdirSync(join(consumer, 'pack')).map((f) => basename(f))).toEqual([`raxx-vault-proxy-${version}.tgz`]);
    const files = readdirSync(join(consumer, 'node_modules', '@raxx', 'vault-proxy')).sort();
    expect(files.filter((f) => f !== 'CHANGELOG.md')).toEqual(['dist', 'package.json']);
  });

  it('imports every entry from ESM and requires it from CJS', () => {
    const probe = JSON.stringify(ENTRIES);
    const esm = `const e=${probe};const out=[];for(const [m,k] of Object.entries(e)){const mod=await import(m);out.push(m+':'+typeof mod[k]);}console.log(out.join(','))`;
    const cjs = `const e=${probe};console.log(Object.entries(e).map(([m,k])=>m+':'+typeof require(m)[k]).join(','))`;
    const expected = Object.entries(ENTRIES)
      .map(([m, k]) => `${m}:${k === 'SETTINGS' ? 'object' : 'function'}`)
      .join(',');
    expect(node(['--input-type=module', '-e', esm]).trim()).toBe(expected);
    expect(node(['--input-type=commonjs', '-e', cjs]).trim()).toBe(expected);
  });

  it.each([
    // One error class across entries, so instanceof holds (CJS too).
    "const { VaultProxyError } = require('@raxx/vault-proxy'); const { resolveProcessTarget } = require('@raxx/vault-proxy/process'); try { resolveProcessTarget({ port: 'x' }, {}); } catch (e) { console.log(e instanceof VaultProxyError, e.code); }",
    // A proxy built from the CJS entry refuses a bad config with its typed error.
    "const { createProxy, VaultProxyError } = require('@raxx/vault-proxy'); try { createProxy({}, {}); } catch (e) { console.log(e instanceof VaultProxyError, e.code); }",
  ])('runs from CJS and throws the one typed error: %s', (script) => {
    expect(node(['--input-type=commonjs', '-e', script]).trim()).toBe('true CONFIG_INVALID');
  });

  it('type-checks every entry from both module systems through the exports map', () => {
    const imports = Object.entries(ENTRIES).map(([m, k], i) => ({ m, k, alias: `e${i}` }));
    writeFileSync(
      join(consumer, 'esm.mts'),
      `${imports.map(({ m, k, alias }) => `import { ${k} as ${alias} } from '${m}';`).join('\n')}\nimport { createProxy, type ProxyHandle } from '@raxx/vault-proxy';\nconst p: ProxyHandle = createProxy({ port: 0 });\nvoid [p, ${imports.map((i) => i.alias).join(', ')}];\n`,
    );
    writeFileSync(
      join(consumer, 'cjs.cts'),
      `${imports.map(({ m, alias }) => `import ${alias} = require('${m}');`).join('\n')}\nconst p: e0.ProxyHandle = e0.createProxy({ port: 0 });\nvoid [p, ${imports.map((i) => i.alias).join(', ')}];\n`,
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const args = [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node'];
    expect(() => node([...args, 'esm.mts', 'cjs.cts'])).not.toThrow();
    writeFileSync(join(consumer, 'wrong.mts'), "import { createProxy } from '@raxx/vault-proxy';\ncreateProxy({ port: 'x' });\n");
    expect(() => node([...args, 'wrong.mts'])).toThrow();
  }, 60_000);
});
