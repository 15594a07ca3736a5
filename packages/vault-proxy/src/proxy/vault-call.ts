import { ChunkedDecoder } from '../http1/chunked-decoder.js';
import { requestHeadText } from '../http1/head-writer.js';
import { parseResponseHead, type ResponseHead } from '../http1/response-head.js';
import { type HeaderPolicy, upstreamRequestHeaders } from './header-policy.js';
import type { UpstreamConnection, UpstreamPool } from './upstream-pool.js';

/** A whole answer of the vault to a request the proxy makes itself. */
export interface VaultAnswer {
  readonly status: number;
  readonly head: ResponseHead;
  readonly body: Buffer;
}

/** What {@link vaultCall} needs. @internal */
export interface VaultCallContext {
  readonly pool: UpstreamPool;
  readonly policy: HeaderPolicy;
}

const LIMITS = { maxHeaderSize: 64 * 1024, maxHeaderCount: 256 };
/** The proxy's own calls are small JSON exchanges; anything bigger is refused rather than buffered. */
const MAX_BODY = 64 * 1024;

/**
 * One request the proxy sends on its own account (a token renewal's login),
 * through the same pool, header policy and framing as a forwarded one, its
 * answer read whole. Rejects on a broken connection, an answer it cannot
 * parse or larger than 64 KiB, or after `timeoutMs`. The body may hold a
 * secret: it is built by the caller at send time and never logged here.
 * @internal
 */
export function vaultCall(
  ctx: VaultCallContext,
  request: { readonly method: string; readonly path: string; readonly headers: readonly string[]; readonly body?: Buffer },
  timeoutMs: number,
): Promise<VaultAnswer> {
  return new Promise((resolve, reject) => {
    let conn: UpstreamConnection | undefined;
    let buf = Buffer.alloc(0);
    let head: ResponseHead | undefined;
    const body: Buffer[] = [];
    let size = 0;
    let decoder: ChunkedDecoder | undefined;
    let settled = false;
    const settle = (error: Error | undefined, answer?: VaultAnswer, reusable = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cancel();
      if (conn) {
        if (reusable) ctx.pool.release(conn, head?.keepAliveMs);
        else conn.destroy();
      }
      if (error) reject(error);
      else resolve(answer as VaultAnswer);
    };
    const timer = setTimeout(() => settle(new Error('the vault did not answer in time')), timeoutMs);
    const take = (data: Buffer): void => {
      // `data` lives in the pool's shared read buffer: keep a copy.
      data = Buffer.from(data);
      size += data.length;
      if (size > MAX_BODY) settle(new Error('the answer is larger than expected'));
      else body.push(data);
    };
    const done = (extra: boolean): void => {
      const h = head as ResponseHead;
      settle(undefined, { status: h.status, head: h, body: Buffer.concat(body) }, h.reusable && !extra);
    };
    const holder = {
      onData(chunk: Buffer): void {
        if (settled) return;
        if (!head) {
          buf = Buffer.concat([buf, chunk]);
          const parsed = parseResponseHead(buf, LIMITS, request.method);
          if (!parsed.ok) {
            if (parsed.problem !== 'incomplete') settle(new Error('the vault sent an answer that cannot be read'));
            return;
          }
          if (parsed.head.status < 200) {
            buf = buf.subarray(parsed.consumed);
            if (parsed.head.status !== 100 && parsed.head.status !== 103) settle(new Error('the vault switched protocols'));
            return;
          }
          head = parsed.head;
          chunk = buf.subarray(parsed.consumed);
          if (head.framing.kind === 'chunked') decoder = new ChunkedDecoder();
          if (head.framing.kind === 'none') {
            done(chunk.length > 0);
            return;
          }
        }
        const framing = head.framing;
        if (framing.kind === 'length') {
          const want = framing.length - size;
          take(chunk.subarray(0, want));
          if (size >= framing.length) done(chunk.length > want);
        } else if (decoder) {
          const used = decoder.push(chunk, take);
          if (used === -1) settle(new Error('the vault broke its chunked framing'));
          else if (decoder.done) done(used < chunk.length);
        } else take(chunk);
      },
      onClose(): void {
        if (head?.framing.kind === 'close') done(false);
        else settle(new Error('the connection to the vault broke'));
      },
    };
    const headers = [...request.headers, 'Content-Length', String(request.body?.length ?? 0)];
    const text = requestHeadText(request.method, request.path, upstreamRequestHeaders(headers, ctx.policy));
    const cancel = ctx.pool.acquire(false, holder, (c) => {
      conn = c;
      c.socket.cork();
      c.socket.write(text, 'latin1');
      if (request.body) c.socket.write(request.body);
      c.socket.uncork();
    });
  });
}
