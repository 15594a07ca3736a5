#!/usr/bin/env node
// Build @raxx/vault-proxy and pack it into release/<name>-<version>.tgz: the file another repository installs
// (`npm install /path/to/raxx-vault-proxy-<version>.tgz`). Versions and CHANGELOG.md come from changesets
// (`pnpm changeset`, then `pnpm release:version`). Prints the tarball's absolute path on stdout, nothing else.
// Flags: --out DIR (default: release/ in the repository), --skip-build (the test suite builds first).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'packages', 'vault-proxy');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(process.env.INIT_CWD ?? process.cwd(), outIndex === -1 ? join(root, 'release') : args[outIndex + 1]);

if (!args.includes('--skip-build')) {
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  execFileSync(turbo, ['run', 'build', '--filter=@raxx/vault-proxy', '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
mkdirSync(out, { recursive: true });
const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: pkgDir, encoding: 'utf8' });
const [{ filename }] = JSON.parse(packed);
const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
process.stderr.write(`packed @raxx/vault-proxy ${version}\n`);
process.stdout.write(`${join(out, filename)}\n`);
