import type { VaultProxyErrorCode } from '../errors.js';
import { STATUS_REASONS } from '../http1/http-tables.js';

/**
 * The HTTP status the proxy answers with for a request-path error code.
 * Other codes are not answered over HTTP; they map to 500.
 */
export function proxyErrorStatus(code: VaultProxyErrorCode): number {
  switch (code) {
    case 'UPSTREAM_UNREACHABLE':
    case 'UPSTREAM_ABORTED':
    case 'UPSTREAM_PROTOCOL_ERROR':
      return 502;
    case 'REQUEST_INVALID':
      return 400;
    case 'REQUEST_TIMEOUT':
      return 408;
    case 'REQUEST_HEADERS_TOO_LARGE':
      return 431;
    case 'UPSTREAM_TIMEOUT':
      return 504;
    case 'CF_ACCESS_DENIED':
    case 'CF_ACCESS_LOGIN_REDIRECT':
    case 'HOST_NOT_ALLOWED':
    case 'CROSS_ORIGIN_REFUSED':
    case 'TARGET_NOT_ALLOWED':
      return 403;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'NOT_FOUND':
      return 404;
    default:
      return 500;
  }
}

/** Response header naming the proxy's own error code, so callers can tell its answers from upstream's. */
export const PROXY_ERROR_HEADER = 'X-Vault-Proxy-Error';

/**
 * A JSON answer ready to send: status, headers and body computed once.
 * @internal
 */
export interface PreparedAnswer {
  readonly status: number;
  readonly code: string;
  readonly headers: readonly string[];
  readonly body: Buffer;
}

/**
 * Build the `{"error","message","hint"}` answer for a code. `message` and
 * `hint` must be secret-free; callers pass fixed text or error codes only.
 * @internal
 */
export function prepareErrorAnswer(
  code: VaultProxyErrorCode,
  message: string,
  hint: string,
  status = proxyErrorStatus(code),
): PreparedAnswer {
  return prepareJsonAnswer(status, { error: code, message, hint }, code);
}

/**
 * Build a JSON answer with any body.
 * @internal
 */
export function prepareJsonAnswer(status: number, payload: unknown, code?: string): PreparedAnswer {
  const body = Buffer.from(JSON.stringify(payload));
  const headers = ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(body.length), 'Cache-Control', 'no-store'];
  if (code !== undefined) headers.push(PROXY_ERROR_HEADER, code);
  return { status, code: code ?? '', headers, body };
}

/**
 * A prepared answer as the bytes of a whole HTTP/1.1 response: its headers,
 * `Connection: close` (or `keep-alive` when the connection stays and the
 * client speaks HTTP/1.0), and the body unless it answers a HEAD.
 * @internal
 */
export function answerBytes(
  answer: PreparedAnswer,
  options: { readonly close: boolean; readonly head?: boolean; readonly http10?: boolean },
): Buffer {
  let text = `HTTP/1.1 ${answer.status} ${STATUS_REASONS[answer.status] ?? 'Error'}\r\n`;
  for (let i = 0; i < answer.headers.length; i += 2) text += `${answer.headers[i]}: ${answer.headers[i + 1]}\r\n`;
  if (options.close) text += 'Connection: close\r\n';
  else if (options.http10) text += 'Connection: keep-alive\r\n';
  const head = Buffer.from(`${text}\r\n`, 'latin1');
  return options.head ? head : Buffer.concat([head, answer.body]);
}
