import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 response read off a raw connection. */
export interface RawResponse {
  readonly status: number;
  /** Lower-case names; the last value wins. */
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The whole response text (latin1). */
  readonly text: string;
  /** JSON body, parsed. */
  json<T = Record<string, unknown>>(): T;
}

/** A plain TCP connection to the proxy for writing exact bytes and reading responses one by one. */
export interface RawConnection {
  readonly socket: Socket;
  write(bytes: string | Buffer): void;
  /** Half-close: send FIN after what was written. */
  end(): void;
  /** The next complete final response (Content-Length or chunked framed), interim ones skipped; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<RawResponse>;
  /** Interim (1xx) responses skipped so far. */
  readonly interim: RawResponse[];
  /** Resolves when the server closed the connection, with everything it sent that was not read as a response. */
  readonly closed: Promise<string>;
  destroy(): void;
}

/** Try to cut one response off the front of `text`; `undefined` when incomplete. */
function cutResponse(text: string): { response: RawResponse; rest: string } | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const lines = text.slice(0, headEnd).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let at = headEnd + 4;
  let body = '';
  const noBody = status < 200 || status === 204 || status === 304;
  if (noBody) {
    // interim and bodiless answers end at the head
  } else if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    for (;;) {
      const eol = text.indexOf('\r\n', at);
      if (eol === -1) return undefined;
      const size = Number.parseInt(text.slice(at, eol), 16);
      if (text.length < eol + 2 + size + 2) return undefined;
      body += text.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
      if (size === 0) break;
    }
  } else {
    const length = Number(headers['content-length'] ?? 0);
    if (text.length < at + length) return undefined;
    body = text.slice(at, at + length);
    at += length;
  }
  const whole = text.slice(0, at);
  return {
    response: { status, headers, body, text: whole, json: <T>() => JSON.parse(body) as T },
    rest: text.slice(at),
  };
}

/** Open a raw connection to `base` (an `http://host:port` URL). */
export function rawConnect(base: string): Promise<RawConnection> {
  const url = new URL(base);
  const socket = connect(Number(url.port), url.hostname.replace(/^\[|\]$/g, ''));
  let buffered = '';
  const readers: (() => void)[] = [];
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => {
      resolve(buffered);
      for (const r of readers.splice(0)) r();
    });
  });
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    for (const r of readers.splice(0)) r();
  });
  const interim: RawResponse[] = [];
  const conn: RawConnection = {
    socket,
    interim,
    write: (bytes) => {
      socket.write(bytes);
    },
    end: () => {
      socket.end();
    },
    next: (timeoutMs = 10_000) =>
      new Promise<RawResponse>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no complete response within ${timeoutMs} ms; got ${JSON.stringify(buffered)}`)),
          timeoutMs,
        );
        const attempt = (): void => {
          let cut = cutResponse(buffered);
          while (cut && cut.response.status < 200) {
            interim.push(cut.response);
            buffered = cut.rest;
            cut = cutResponse(buffered);
          }
          if (cut) {
            clearTimeout(timer);
            buffered = cut.rest;
            resolve(cut.response);
            return;
          }
          if (socket.destroyed || socket.readableEnded) {
            clearTimeout(timer);
            reject(new Error(`connection closed without a complete response; got ${JSON.stringify(buffered)}`));
            return;
          }
          readers.push(attempt);
        };
        attempt();
      }),
    closed,
    destroy: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(conn));
    socket.once('error', reject);
  });
}

/** Send `bytes` on a fresh connection and read one response. */
export async function rawRequest(base: string, bytes: string | Buffer, timeoutMs?: number): Promise<RawResponse> {
  const conn = await rawConnect(base);
  try {
    conn.write(bytes);
    return await conn.next(timeoutMs);
  } finally {
    conn.destroy();
  }
}
