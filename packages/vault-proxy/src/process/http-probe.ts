import { connect } from 'node:net';
import { isLoopbackHost } from '../connection/host-names.js';
import { ChunkedDecoder } from '../http1/chunked-decoder.js';
import { parseResponseHead } from '../http1/response-head.js';

/** One answer of {@link probeHttp}. @internal */
export interface ProbeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text, cut at 64 KiB. */
  readonly body: string;
}

/** Where to send a probe so the proxy's Host guard accepts it. @internal */
export interface ProbeTarget {
  /** Address to dial (a wildcard bind is dialled on loopback). */
  readonly dialHost: string;
  readonly port: number;
  /** The `Host` header: the bound loopback address, else `localhost`. */
  readonly hostHeader: string;
}

const MAX_BODY = 64 * 1024;

/** @internal */
export function probeTargetFor(host: string, port: number): ProbeTarget {
  const bare = host.replace(/^\[|\]$/g, '');
  const dialHost = bare === '0.0.0.0' || bare === '' ? '127.0.0.1' : bare === '::' ? '::1' : bare;
  const bracket = (h: string) => (h.includes(':') ? `[${h}]` : h);
  const hostHeader = isLoopbackHost(dialHost) ? `${bracket(dialHost)}:${port}` : `localhost:${port}`;
  return { dialHost, port, hostHeader };
}

/** Bytes a probe reads before it gives up on the answer (a head and a 64 KiB body fit well inside). */
const MAX_ANSWER = 256 * 1024;
/** A local proxy's answer head: generous, it is only read, never relayed. */
const ANSWER_LIMITS = { maxHeaderSize: 64 * 1024, maxHeaderCount: 256 };

/** Header names lower-cased to values (repeated ones joined with `, `, `set-cookie` kept as a list). */
function headerRecord(rawHeaders: readonly string[], lowerNames: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < lowerNames.length; i++) {
    const name = lowerNames[i] as string;
    const value = rawHeaders[2 * i + 1] as string;
    const prev = headers[name];
    if (name === 'set-cookie') headers[name] = Array.isArray(prev) ? [...prev, value] : [value];
    else headers[name] = prev === undefined ? value : `${prev}, ${value}`;
  }
  return headers;
}

/** The whole answer in `bytes` (read until the proxy closed), parsed by the proxy's own strict framing layer; `undefined` when it is not one whole answer. */
export function parseProbeAnswer(bytes: Buffer): ProbeAnswer | undefined {
  const parsed = parseResponseHead(bytes, ANSWER_LIMITS, 'GET');
  if (!parsed.ok || parsed.head.status < 200) return undefined;
  const { framing } = parsed.head;
  const rest = bytes.subarray(parsed.consumed);
  let body: Buffer;
  if (framing.kind === 'length') {
    if (rest.length < framing.length) return undefined;
    body = rest.subarray(0, framing.length);
  } else if (framing.kind === 'chunked') {
    const decoder = new ChunkedDecoder();
    const parts: Buffer[] = [];
    if (decoder.push(rest, (data) => parts.push(data)) === -1 || !decoder.done) return undefined;
    body = Buffer.concat(parts);
  } else body = framing.kind === 'close' ? rest : Buffer.alloc(0);
  return {
    status: parsed.head.status,
    headers: headerRecord(parsed.head.rawHeaders, parsed.head.lowerNames),
    body: body.toString('utf8').slice(0, MAX_BODY),
  };
}

/**
 * GET a path from a local proxy over plain http with a short timeout: one
 * request with `Connection: close` on a raw socket, the answer parsed by the
 * proxy's own strict framing layer (`http1/`). Not `node:http`: `vault-proxy
 * start` probes itself once it listens, and loading `node:http` for that one
 * request costs the idle proxy about 1 MiB (BENCHMARKS.md, issue 13).
 * Resolves `undefined` when nothing answers in time; never throws.
 * @internal
 */
export function probeHttp(target: ProbeTarget, path: string, timeoutMs: number): Promise<ProbeAnswer | undefined> {
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (answer: ProbeAnswer | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolvePromise(answer);
    };
    const socket = connect({ host: target.dialHost, port: target.port });
    const timer = setTimeout(() => settle(undefined), timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${target.hostHeader}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`, 'latin1');
    });
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER) settle(undefined);
      else chunks.push(chunk);
    });
    socket.on('end', () => settle(parseProbeAnswer(Buffer.concat(chunks))));
    socket.on('error', () => settle(undefined));
    socket.on('close', () => settle(undefined));
  });
}

/** Parse a JSON body; `undefined` when it is not JSON. @internal */
export function jsonBody(answer: ProbeAnswer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(answer.body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
