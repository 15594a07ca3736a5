import { createProxy, exitCodeFor } from '@raxx/vault-proxy';

// The proxy in its own process, configured from VAULT_PROXY_* / CF_ACCESS_* exactly like `vault-proxy start`.
try {
  const proxy = createProxy({}, process.env);
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
  process.exit(exitCodeFor(error));
}
