import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxy } from '../src/ceiling/ceiling-forwarder.js';
import { freePort } from '../src/system/free-port.js';
import { createExpectedHeaders } from '../src/upstream/expected-headers.js';
import { type BenchUpstream, createBenchUpstream, SECRET_PATH } from '../src/upstream/upstream-server.js';

// The ceiling probe must deliver what the bench upstream checks (injected headers, Host, User-Agent,
// the client's Authorization), or its figures would be a misconfigured peer's.

const scratch = mkdtempSync(join(tmpdir(), 'ceiling-'));
const expected = createExpectedHeaders();
let upstream: BenchUpstream;
let forwarder: ReturnType<typeof createProxy>;
let port = 0;

beforeAll(async () => {
  const certs = await createTestCertificates();
  writeFileSync(join(scratch, 'ca.pem'), certs.caCert);
  upstream = createBenchUpstream({ cert: certs.cert, key: certs.key, expected });
  await new Promise<void>((resolve) => upstream.tls.listen(0, '127.0.0.1', resolve));
  const address = upstream.tls.address();
  forwarder = createProxy(
    {},
    {
      VAULT_PROXY_PORT: String(await freePort()),
      VAULT_PROXY_UPSTREAM: 'https://vault.raxx.app',
      VAULT_PROXY_CONNECT_TO: `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      VAULT_PROXY_CA_FILE: join(scratch, 'ca.pem'),
      CF_ACCESS_CLIENT_ID: expected.cfAccessClientId,
      CF_ACCESS_CLIENT_SECRET: expected.cfAccessClientSecret,
    },
  );
  port = Number(new URL((await forwarder.listen()).url).port);
});

afterAll(async () => {
  await forwarder?.close();
  upstream?.tls.close();
  rmSync(scratch, { recursive: true, force: true });
});

function exchange(requests: number): Promise<string> {
  const head = `GET ${SECRET_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${expected.authorization}\r\nUser-Agent: axios/1.12.2\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.split('HTTP/1.1 ').length - 1 === requests && received.endsWith('}')) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
    // Pipelined on one connection: the probe answers them in order over its pool.
    socket.write(head.repeat(requests));
  });
}

describe('the ceiling forwarder (bench probe)', () => {
  it('forwards get-secret with the expected headers, answers in order, reuses its upstream connection', async () => {
    const answers = await exchange(3);
    // Each answer follows the previous body directly.
    expect(answers.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(3);
    expect(upstream.stats.tls.requests).toBe(3);
    expect(upstream.stats.tls.rejected).toBe(0);
    expect(upstream.stats.tls.handshakes).toBe(1);
  });
});
