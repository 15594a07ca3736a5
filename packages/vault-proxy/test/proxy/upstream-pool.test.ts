import { type RecordingUpstream, startRecordingUpstream } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProxyOptions } from '../../src/proxy/proxy-options.js';
import { RelayBuffers } from '../../src/proxy/relay-buffers.js';
import { type ConnectionHolder, type UpstreamConnection, UpstreamPool } from '../../src/proxy/upstream-pool.js';
import { delay } from '../support/proxy-fixture.js';

let upstream: RecordingUpstream;
beforeAll(async () => {
  upstream = await startRecordingUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

function poolOf(size: number): UpstreamPool {
  return new UpstreamPool(
    resolveProxyOptions(
      {
        upstream: 'https://vault.raxx.app',
        connectTo: `127.0.0.1:${upstream.port}`,
        ca: upstream.certs.caCert,
        cfAccessClientId: 'id',
        cfAccessClientSecret: 's',
        poolSize: size,
      },
      {},
    ),
    new RelayBuffers(),
  );
}

const holder: ConnectionHolder = { onData: () => {}, onClose: () => {} };

function take(pool: UpstreamPool, replayable = true): { conn: UpstreamConnection | undefined; cancel: () => void } {
  const got: { conn: UpstreamConnection | undefined; cancel: () => void } = { conn: undefined, cancel: () => {} };
  got.cancel = pool.acquire(replayable, holder, (conn) => {
    got.conn = conn;
  });
  return got;
}

/** Send one request on `conn` and wait for its answer's bytes, so the connection is really up and idle again. */
async function roundTrip(conn: UpstreamConnection): Promise<void> {
  await new Promise<void>((resolve) => {
    conn.holder = { onData: () => resolve(), onClose: () => resolve() };
    conn.socket.write(
      'GET /x HTTP/1.1\r\nHost: vault.raxx.app\r\nCF-Access-Client-Id: a\r\nCF-Access-Client-Secret: b\r\nUser-Agent: c\r\n\r\n',
    );
  });
}

describe('the upstream pool', () => {
  // First in the file: it counts the process's referenced sockets, which another test's closing ones would move.
  it('an idle pooled connection stops keeping the process alive at the next sweep, not per request; taken again, it does', async () => {
    const pool = poolOf(1);
    const got = take(pool);
    const conn = got.conn as UpstreamConnection;
    await roundTrip(conn);
    const referenced = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const inUse = referenced();
    pool.release(conn, undefined);
    expect(referenced()).toBe(inUse);
    await delay(600);
    expect(referenced()).toBe(inUse - 1);
    expect(take(pool).conn).toBe(conn);
    expect(referenced()).toBe(inUse);
    pool.destroy();
  });

  it('opens at most poolSize connections; the next request waits for one to be released', async () => {
    const pool = poolOf(2);
    const a = take(pool);
    const b = take(pool);
    const c = take(pool);
    expect(a.conn).toBeDefined();
    expect(b.conn).toBeDefined();
    expect(c.conn).toBeUndefined();
    expect(pool.counts.open).toBe(2);
    await roundTrip(a.conn as UpstreamConnection);
    pool.release(a.conn as UpstreamConnection, undefined);
    expect(c.conn).toBe(a.conn);
    expect(pool.opened).toBe(2);
    pool.destroy();
  });

  it('reuses the most recently released connection first, and marks it reused', async () => {
    const pool = poolOf(4);
    const a = take(pool);
    const b = take(pool);
    await Promise.all([roundTrip(a.conn as UpstreamConnection), roundTrip(b.conn as UpstreamConnection)]);
    pool.release(a.conn as UpstreamConnection, undefined);
    pool.release(b.conn as UpstreamConnection, undefined);
    const next = take(pool);
    expect(next.conn).toBe(b.conn);
    expect(next.conn?.reused).toBe(true);
    expect(pool.counts).toEqual({ open: 2, idle: 1 });
    pool.destroy();
  });

  it('gives a request that cannot be replayed a fresh connection instead of one idle for over 2 s', async () => {
    const pool = poolOf(1);
    const a = take(pool);
    await roundTrip(a.conn as UpstreamConnection);
    pool.release(a.conn as UpstreamConnection, undefined);
    await delay(2_100);
    const replayable = take(pool, true);
    expect(replayable.conn).toBe(a.conn);
    pool.release(a.conn as UpstreamConnection, undefined);
    await delay(2_100);
    const unsafe = take(pool, false);
    expect(unsafe.conn).toBeDefined();
    expect(unsafe.conn).not.toBe(a.conn);
    expect(pool.opened).toBe(2);
    pool.destroy();
  }, 10_000);

  it('retires an idle connection a second before the vault’s Keep-Alive hint runs out, and drops one the hint leaves no time for', async () => {
    const pool = poolOf(2);
    const a = take(pool);
    const b = take(pool);
    await Promise.all([roundTrip(a.conn as UpstreamConnection), roundTrip(b.conn as UpstreamConnection)]);
    pool.release(a.conn as UpstreamConnection, 1_300);
    pool.release(b.conn as UpstreamConnection, 1_000);
    expect(pool.counts.idle).toBe(1);
    await delay(600);
    expect(pool.counts.idle).toBe(0);
    pool.destroy();
  });
});
