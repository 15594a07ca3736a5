// The body of the scripts/bin shims: run an app's built bin from this clone,
// or say how to build it. The shims put `vault-proxy`, `vault-provision` and
// `enable-vault-mcp` on PATH for any directory (README §Run the tools).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Run `relative` (a built bin of this clone, e.g. `apps/cli/dist/vault-proxy.js`) as the current process. */
export async function runBuiltApp(name, relative) {
  const bin = new URL(`../${relative}`, import.meta.url);
  if (!existsSync(bin)) {
    const clone = fileURLToPath(new URL('..', import.meta.url));
    process.stderr.write(`${name}: error: ${relative} is not built yet.\n  fix: Run \`npx --yes pnpm@10.34.9 build\` in ${clone}\n`);
    process.exitCode = 1;
    return;
  }
  await import(bin.href);
}
