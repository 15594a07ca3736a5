import { type Agent, request } from 'node:http';
import { connect } from 'node:net';

/** A response read whole. */
export interface ClientResponse {
  readonly status: number;
  /** Lower-case names; repeated headers as arrays (node's `headers`). */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export interface SendOptions {
  method?: string;
  /** Raw header list `[name, value, …]`, sent as is (no Host is added when one is given). */
  headers?: string[];
  body?: string | Buffer;
  agent?: Agent | false;
}

/** One HTTP/1.1 request to `base` + `path` (path sent byte for byte). */
export function send(base: string, path: string, options: SendOptions = {}): Promise<ClientResponse> {
  const url = new URL(base);
  const headers = options.headers ?? [];
  const hasHost = headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host');
  const framed = headers.some((h, i) => i % 2 === 0 && /^(content-length|transfer-encoding)$/i.test(h));
  const all = [...(hasHost ? [] : ['Host', url.host]), ...headers];
  if (options.body !== undefined && !framed) all.push('Content-Length', String(Buffer.byteLength(options.body)));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        method: options.method ?? 'GET',
        path,
        headers: all,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            json: <T>() => JSON.parse(body.toString('utf8')) as T,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Write `text` on a raw TCP connection and collect everything until the
 * server closes it. If the server stays silent for `idleMs`, the client
 * gives up: with `mustClose` that is a failure, otherwise it just ends.
 */
export function rawExchange(base: string, text: string, idleMs = 2_000, mustClose = false): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let out = '';
    socket.setTimeout(idleMs, () => {
      if (mustClose) {
        socket.destroy();
        reject(new Error(`server kept the connection open for ${idleMs} ms`));
      } else socket.end();
    });
    socket.on('data', (c: Buffer) => {
      out += c.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
    socket.write(text);
  });
}

/** The status code of a raw HTTP response text. */
export function rawStatus(response: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
}
