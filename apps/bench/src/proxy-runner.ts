import { pathToFileURL } from 'node:url';
import type * as VaultProxy from '@raxx/vault-proxy';

// The proxy in its own process, configured from VAULT_PROXY_* / CF_ACCESS_* exactly like `vault-proxy start`.
// BENCH_PROXY_MODULE (the bench's --proxy-module) swaps in a candidate build of the library for an A/B run.
const candidate = process.env.BENCH_PROXY_MODULE;
const library = (await import(candidate ? pathToFileURL(candidate).href : '@raxx/vault-proxy')) as typeof VaultProxy;
try {
  const proxy = library.createProxy({}, process.env);
  const address = await proxy.listen();
  process.stdout.write(`bench proxy runner listening on ${address.url}\n`);
  const stop = (): void => {
    proxy.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : 'the proxy failed to start');
  process.exit(library.exitCodeFor(error));
}
