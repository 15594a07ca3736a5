import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Another repository's view of the library: the packed tarball (what `npm publish` would ship),
// unpacked into a project outside the workspace. Dependencies are linked from this workspace's
// store instead of downloaded, so the test stays off the network.
const pkgDir = resolve(import.meta.dirname, '../..');
const require = createRequire(join(pkgDir, 'package.json'));
let consumer: string;

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
  mkdirSync(packDir);
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: pkgDir, stdio: 'ignore' });
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  const installed = join(consumer, 'node_modules', '@raxx', 'vault-proxy');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(packDir, tarball), '-C', installed, '--strip-components=1']);
  link('axios', dirname(require.resolve('axios/package.json')));
  link('@types/node', dirname(require.resolve('@types/node/package.json')));
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
}, 60_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe('the packed @raxx/vault-proxy in a project outside the workspace', () => {
  it('ships only dist, package.json and no sources or tests', () => {
    const files = readdirSync(join(consumer, 'node_modules', '@raxx', 'vault-proxy')).sort();
    expect(files).toEqual(['dist', 'package.json']);
  });

  it('can be imported (ESM) and required (CJS), with the same public API', () => {
    const probe =
      "['createProxy','createHeaderPolicy','upstreamRequestHeaders','downstreamResponseHeaders','redactHeaders','resolveProxyOptions','VaultProxyError','createInfisicalClient','runDoctor','enableMcp'].map((k) => k + ':' + typeof m[k]).join(',')";
    const expected =
      'createProxy:function,createHeaderPolicy:function,upstreamRequestHeaders:function,downstreamResponseHeaders:function,redactHeaders:function,resolveProxyOptions:function,VaultProxyError:function,createInfisicalClient:function,runDoctor:function,enableMcp:function';
    expect(node(['--input-type=module', '-e', `import * as m from '@raxx/vault-proxy'; console.log(${probe})`]).trim()).toBe(expected);
    expect(node(['--input-type=commonjs', '-e', `const m = require('@raxx/vault-proxy'); console.log(${probe})`]).trim()).toBe(expected);
  });

  it('runs: a proxy built from the CJS entry refuses a bad config with its typed error', () => {
    const out = node([
      '--input-type=commonjs',
      '-e',
      "const { createProxy, VaultProxyError } = require('@raxx/vault-proxy'); try { createProxy({}, {}); } catch (e) { console.log(e instanceof VaultProxyError, e.code); }",
    ]);
    expect(out.trim()).toBe('true CONFIG_INVALID');
  });

  it('type-checks from both module systems through the exports map', () => {
    writeFileSync(
      join(consumer, 'esm.mts'),
      "import { createProxy, type ProxyHandle } from '@raxx/vault-proxy';\nconst p: ProxyHandle = createProxy({ port: 0 });\nvoid p;\n",
    );
    writeFileSync(
      join(consumer, 'cjs.cts'),
      "import vp = require('@raxx/vault-proxy');\nconst p: vp.ProxyHandle = vp.createProxy({ port: 0 });\nvoid p;\n",
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const args = [
      tsc,
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--types',
      'node',
      'esm.mts',
      'cjs.cts',
    ];
    expect(() => node(args)).not.toThrow();
    writeFileSync(join(consumer, 'wrong.mts'), "import { createProxy } from '@raxx/vault-proxy';\ncreateProxy({ port: 'x' });\n");
    expect(() =>
      node([tsc, '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', 'wrong.mts']),
    ).toThrow();
  });
});
