import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createTestCertificates, type TestCertificates } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built library (the test task builds first), run in a child whose default trust store is one test CA:
// `--use-openssl-ca` makes Node's default store OpenSSL's, read from SSL_CERT_FILE.
const LIBRARY = pathToFileURL(fileURLToPath(new URL('../../dist/index.js', import.meta.url))).href;
const run = promisify(execFile);

const servers: Server[] = [];

/** A TLS server with `certs` that answers every request with 200 `ok` and closes. */
async function vaultWith(certs: TestCertificates): Promise<number> {
  const server = createServer({ cert: certs.cert, key: certs.key }, (socket) => {
    socket.once('data', () =>
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'),
    );
    socket.on('error', () => socket.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let dir: string;
let ports: { byDefaultCa: number; byExtraCa: number; byUnknownCa: number };
let extraCa: string;

beforeAll(async () => {
  const [envCerts, extraCerts, unknownCerts] = await Promise.all([
    createTestCertificates(),
    createTestCertificates(),
    createTestCertificates(),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'extra-ca-'));
  writeFileSync(join(dir, 'default-ca.pem'), envCerts.caCert);
  extraCa = extraCerts.caCert;
  ports = {
    byDefaultCa: await vaultWith(envCerts),
    byExtraCa: await vaultWith(extraCerts),
    byUnknownCa: await vaultWith(unknownCerts),
  };
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** In a child whose default store holds one test CA: one proxy per vault, the extra CA given, GET through each; the statuses. */
async function statusesThroughProxies(): Promise<Record<string, number>> {
  const script = `
    const { createProxy } = await import(${JSON.stringify(LIBRARY)});
    const out = {};
    for (const [name, port] of Object.entries(${JSON.stringify(ports)})) {
      const proxy = createProxy({ host: '127.0.0.1', port: 0, logLevel: 'silent', upstream: 'https://vault.raxx.app',
        connectTo: '127.0.0.1:' + port, ca: ${JSON.stringify(extraCa)}, renewTokens: false }, { CF_ACCESS_CLIENT_ID: 'id', CF_ACCESS_CLIENT_SECRET: 'secret' });
      const { url } = await proxy.listen();
      out[name] = (await fetch(url + '/api/status')).status;
      await proxy.close();
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const { stdout } = await run(process.execPath, ['--use-openssl-ca', '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, SSL_CERT_FILE: join(dir, 'default-ca.pem'), SSL_CERT_DIR: dir },
    timeout: 30_000,
  });
  return JSON.parse(stdout) as Record<string, number>;
}

describe('an extra CA is trusted in addition to Node’s default trust store, never instead of it', () => {
  it('reaches a vault signed by the extra CA and one signed by a CA of the default store; refuses any other', async () => {
    expect(await statusesThroughProxies()).toEqual({ byDefaultCa: 200, byExtraCa: 200, byUnknownCa: 502 });
  }, 40_000);
});
