// The body of the scripts/bin shims: run an app's built bin from this clone,
// or say how to build it. The shims put `vault-proxy`, `vault-provision` and
// `enable-vault-mcp` on PATH for any directory (README §Running the tools).
// CommonJS, like the shims (scripts/bin/package.json): `vault-proxy` is a CommonJS program, and required from
// CommonJS it runs without Node's ES-module loader, which would cost its idle proxy ~0.4 MiB (BENCHMARKS.md step 13).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

/** Run `relative` (a built bin of this clone, e.g. `apps/cli/dist/vault-proxy.cjs`) as the current process. */
function runBuiltApp(name, relative) {
  const bin = join(__dirname, '..', relative);
  if (!existsSync(bin)) {
    process.stderr.write(
      `${name}: error: ${relative} is not built yet.\n  fix: Run \`npx --yes pnpm@10.34.9 build\` in ${join(__dirname, '..')}\n`,
    );
    process.exitCode = 1;
    return;
  }
  if (bin.endsWith('.cjs')) require(bin);
  else import(pathToFileURL(bin).href);
}

module.exports = { runBuiltApp };
