import { isLoopbackHost } from '../connection/host-names.js';
import { nodeHttp } from '../connection/lazy-builtins.js';

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

/**
 * GET a path from a local proxy over plain http with a short timeout.
 * Resolves `undefined` when nothing answers in time; never throws.
 * @internal
 */
export function probeHttp(target: ProbeTarget, path: string, timeoutMs: number): Promise<ProbeAnswer | undefined> {
  return new Promise((resolvePromise) => {
    const req = nodeHttp().request(
      {
        host: target.dialHost,
        port: target.port,
        path,
        method: 'GET',
        headers: { host: target.hostHeader, accept: 'application/json' },
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
          }),
        );
        res.on('error', () => resolvePromise(undefined));
      },
    );
    const timer = setTimeout(() => req.destroy(), timeoutMs);
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(undefined));
    req.on('close', () => clearTimeout(timer));
    req.end();
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
