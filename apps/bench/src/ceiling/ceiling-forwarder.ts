import { createServer, type Socket } from 'node:net';
import { createHeaderPolicy, createUpstreamDialer, resolveProxyOptions, type UpstreamDialer } from '@raxx/vault-proxy';

/**
 * The ceiling probe of issue 13, kept so any run can measure it beside the proxy
 * (`--proxy-module apps/bench/dist/ceiling/ceiling-forwarder.js`): what node does on this machine when
 * it forwards get-secret requests and does none of the proxy's work. Raw sockets in, a pool of
 * verified TLS sockets out, the head cut at its blank line, Host, User-Agent and Connection dropped and
 * the proxy's injected lines appended as text, the answer relayed as bytes and framed by its
 * Content-Length. It refuses nothing and checks nothing (no bodies, no chunked answers, no timeouts,
 * no access log): a measuring probe for the bench, never a proxy to run. Its settings (listen address,
 * vault, connect-to, extra CA, the injected headers) are the library's, resolved from the same
 * environment as the proxy's, and it dials the vault with the proxy's own dialer.
 * @internal
 */
export function createProxy(_options: unknown, env: NodeJS.ProcessEnv): { listen(): Promise<{ url: string }>; close(): Promise<void> } {
  const options = resolveProxyOptions({}, env);
  const injected = `${createHeaderPolicy(options.connection).injectedLines()}\r\n`;
  const pool = new UpstreamPool(createUpstreamDialer(options.connection));
  const clients = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    new Client(socket, pool, injected);
  });
  return {
    listen: () =>
      new Promise((resolve) => {
        server.listen(options.port, options.host, () => {
          const address = server.address();
          resolve({ url: `http://${options.host}:${typeof address === 'object' && address ? address.port : 0}` });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of clients) socket.destroy();
        pool.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Exit code for a failed start (the bench runner's contract): the library's. @internal */
export { exitCodeFor } from '@raxx/vault-proxy';

const BLANK_LINE = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;
const DROPPED = /^(host|user-agent|connection):/i;

class Client {
  #pending: Buffer | undefined;
  #busy = false;

  constructor(
    readonly socket: Socket,
    readonly pool: UpstreamPool,
    readonly injected: string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.#pending = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
      this.next();
    });
    socket.on('error', () => socket.destroy());
  }

  /** Forward the next complete head, if any and if no answer is in flight. */
  next(): void {
    const pending = this.#pending;
    if (this.#busy || pending === undefined) return;
    const end = pending.indexOf(BLANK_LINE);
    if (end === -1) return;
    this.#pending = end + 4 === pending.length ? undefined : pending.subarray(end + 4);
    const lines = pending.toString('latin1', 0, end).split('\r\n');
    let head = `${lines[0]}\r\n`;
    for (let i = 1; i < lines.length; i++) if (!DROPPED.test(lines[i] as string)) head += `${lines[i]}\r\n`;
    this.#busy = true;
    this.pool.acquire().send(this, head + this.injected);
  }

  /** The answer has been relayed whole. */
  done(): void {
    this.#busy = false;
    this.next();
  }
}

class Upstream {
  #client: Client | undefined;
  #head: Buffer | undefined;
  /** Bytes of the answer still to relay; -1 while its head is incomplete. */
  #remaining = -1;

  constructor(
    readonly socket: Socket,
    readonly pool: UpstreamPool,
  ) {
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => pool.forget(this));
  }

  send(client: Client, head: string): void {
    this.#client = client;
    this.#remaining = -1;
    this.socket.write(head, 'latin1');
  }

  #onData(chunk: Buffer): void {
    const client = this.#client;
    if (client === undefined) return;
    if (this.#remaining === -1) {
      const head = this.#head === undefined ? chunk : Buffer.concat([this.#head, chunk]);
      const end = head.indexOf(BLANK_LINE);
      if (end === -1) {
        this.#head = head;
        return;
      }
      this.#head = undefined;
      const length = Number(CONTENT_LENGTH.exec(head.toString('latin1', 0, end))?.[1] ?? 0);
      this.#remaining = end + 4 + length - head.length;
      client.socket.write(head);
    } else {
      this.#remaining -= chunk.length;
      client.socket.write(chunk);
    }
    if (this.#remaining <= 0) {
      this.#client = undefined;
      this.pool.release(this);
      client.done();
    }
  }
}

class UpstreamPool {
  readonly #idle: Upstream[] = [];
  readonly #all = new Set<Upstream>();

  constructor(readonly dialer: UpstreamDialer) {}

  acquire(): Upstream {
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    const socket = this.dialer.connect();
    socket.setNoDelay(true);
    const upstream = new Upstream(socket, this);
    this.#all.add(upstream);
    return upstream;
  }

  release(upstream: Upstream): void {
    this.#idle.push(upstream);
  }

  forget(upstream: Upstream): void {
    this.#all.delete(upstream);
    const i = this.#idle.indexOf(upstream);
    if (i !== -1) this.#idle.splice(i, 1);
  }

  destroy(): void {
    for (const upstream of this.#all) upstream.socket.destroy();
  }
}
