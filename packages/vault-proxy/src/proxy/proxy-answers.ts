import { CLOUDFLARE_HINTS } from '../cloudflare/failure-hints.js';
import { type PreparedAnswer, prepareErrorAnswer } from './answer.js';
import { LOCAL_PREFIX } from './local-endpoints.js';
import type { ResolvedProxyOptions } from './proxy-options.js';

/**
 * Every answer the proxy gives itself instead of relaying the vault's: the
 * refusals of the request guard, the parser's refusals, the upstream
 * failures and the local endpoints' 404. Built once at start (only a
 * transport error's code varies), each a JSON `{error, message, hint}` that
 * names the fix and, where one applies, the failure mode of docs/runbook.md.
 * Messages hold fixed text and codes only, never a header or a value.
 * @internal
 */
export interface ProxyAnswers {
  /** Refusals of the request guard (nothing reaches the vault). */
  readonly refused: {
    readonly method: PreparedAnswer;
    readonly target: PreparedAnswer;
    readonly hostMissing: PreparedAnswer;
    readonly host: PreparedAnswer;
    readonly crossOrigin: PreparedAnswer;
    readonly tooManyHeaders: PreparedAnswer;
    readonly duplicateHost: PreparedAnswer;
    readonly connectionNamesManaged: PreparedAnswer;
    readonly lookalike: PreparedAnswer;
    readonly coding: PreparedAnswer;
  };
  /** 400: bytes the strict request parser refuses (or a broken chunked body). */
  readonly requestInvalid: PreparedAnswer;
  /** 431: a header block over the size limit. */
  readonly headersTooLarge: PreparedAnswer;
  /** 408: headers or body not received in time. */
  readonly requestTimeout: PreparedAnswer;
  /** 504: no complete response head in time, or a stalled exchange. */
  readonly timeout: PreparedAnswer;
  /** 502: a protocol switch or an interim status the proxy does not relay. */
  readonly protocol: PreparedAnswer;
  /** 502: response headers node:http refuses to pass on. */
  readonly badResponseHeaders: PreparedAnswer;
  /** 403: Cloudflare Access answered with a login redirect (failure mode B). */
  readonly loginRedirect: PreparedAnswer;
  /** 403: Cloudflare Access refused the service token with its own page (failure mode B). */
  readonly cloudflareDenied: PreparedAnswer;
  /** 502 for a transport error; only the error's code goes into the text. */
  unreachable(err: NodeJS.ErrnoException, afterConnect: boolean): PreparedAnswer;
  /** 404 for an unknown path under the local prefix. */
  readonly localNotFound: PreparedAnswer;
  /** Hint logged with a Cloudflare refusal (failure mode B). */
  readonly cloudflareHint: string;
}

const DIAGNOSIS = 'docs/runbook.md §Diagnosis';
const TLS_ERROR = /CERT|SIGNATURE|ERR_TLS|ERR_SSL|SSL_/;

function refusals(options: ResolvedProxyOptions): ProxyAnswers['refused'] {
  const origin = options.connection.upstream.origin.toLowerCase();
  const hostHint = 'Call the proxy as http://localhost:<port> or http://127.0.0.1:<port>, or add the name to VAULT_PROXY_ALLOWED_HOSTS.';
  return {
    method: prepareErrorAnswer(
      'METHOD_NOT_ALLOWED',
      'The vault proxy does not tunnel (CONNECT) nor echo requests (TRACE/TRACK).',
      'Send plain HTTP requests to the proxy; it forwards them to the vault.',
    ),
    target: prepareErrorAnswer(
      'TARGET_NOT_ALLOWED',
      'The vault proxy only forwards to its configured upstream.',
      `Use an origin-form target (/path) or the upstream origin ${origin}; the proxy is not a forward proxy.`,
    ),
    hostMissing: prepareErrorAnswer('HOST_NOT_ALLOWED', 'The request has no Host header.', hostHint),
    host: prepareErrorAnswer(
      'HOST_NOT_ALLOWED',
      'The Host header is not one of the proxy’s own names, optionally with its listening port (DNS-rebinding defence).',
      hostHint,
    ),
    crossOrigin: prepareErrorAnswer(
      'CROSS_ORIGIN_REFUSED',
      'Browser cross-origin requests are refused: this port carries vault credentials.',
      'Call the proxy from a command-line tool or server process, not from a web page.',
    ),
    tooManyHeaders: prepareErrorAnswer(
      'REQUEST_HEADERS_TOO_LARGE',
      `The request has more than ${options.maxHeaderCount} header lines; the proxy forwards all headers or none.`,
      'Send fewer headers.',
    ),
    duplicateHost: prepareErrorAnswer('REQUEST_INVALID', 'The request has more than one Host header.', 'Send exactly one Host header.'),
    connectionNamesManaged: prepareErrorAnswer(
      'REQUEST_INVALID',
      'The Connection header names a header the proxy manages (framing, Host, User-Agent or Cloudflare Access).',
      'Name only hop-by-hop headers of your own in Connection (or just close / keep-alive).',
    ),
    lookalike: prepareErrorAnswer(
      'REQUEST_INVALID',
      'A header name with "_" reads as a header the proxy manages when "_" is taken for "-".',
      'Send the header with dashes, or not at all; the proxy sets Cloudflare Access, Host, User-Agent and framing itself.',
    ),
    coding: prepareErrorAnswer(
      'REQUEST_INVALID',
      'Only "Transfer-Encoding: chunked" is accepted on a request.',
      'Send the body with Content-Length or plain chunked framing.',
    ),
  };
}

/** Build every answer once from the resolved options and the dialled address. @internal */
export function createProxyAnswers(options: ResolvedProxyOptions, dialAddress: string): ProxyAnswers {
  const { upstream } = options.connection;
  const origin = upstream.origin;
  const unreachableHint = `The proxy is running but ${origin} is unreachable: check the Infisical host's health and the network (${DIAGNOSIS}).`;
  const requestInvalid = prepareErrorAnswer(
    'REQUEST_INVALID',
    'The request is not valid HTTP/1.1 (the proxy parses strictly and forwards nothing it cannot read unambiguously).',
    'Send one well-formed request: CRLF line ends, one Content-Length or chunked framing, no folded headers.',
  );
  const headersTooLarge = prepareErrorAnswer(
    'REQUEST_HEADERS_TOO_LARGE',
    `The request header block is larger than ${options.maxHeaderSize} bytes.`,
    'Send fewer or shorter headers.',
  );
  const requestTimeout = prepareErrorAnswer(
    'REQUEST_TIMEOUT',
    `The request was not received in time (headers within ${options.headersTimeoutMs} ms, whole request within ${options.requestTimeoutMs} ms).`,
    'Send the whole request without pausing.',
  );
  return {
    refused: refusals(options),
    requestInvalid,
    headersTooLarge,
    requestTimeout,
    timeout: prepareErrorAnswer(
      'UPSTREAM_TIMEOUT',
      `The vault at ${origin} sent no complete response head within ${options.upstreamTimeoutMs} ms, or the exchange stalled for ${options.idleTimeoutMs} ms.`,
      `Check the Infisical host's health (${DIAGNOSIS}), or raise VAULT_PROXY_UPSTREAM_TIMEOUT_MS (head) or VAULT_PROXY_IDLE_TIMEOUT_MS (stalls).`,
    ),
    protocol: prepareErrorAnswer(
      'UPSTREAM_PROTOCOL_ERROR',
      `The vault at ${origin} answered with a protocol switch or an interim status the proxy does not relay.`,
      `The proxy forwards plain HTTP/1.1 requests only; check that ${origin} is the Infisical server (${DIAGNOSIS}).`,
    ),
    badResponseHeaders: prepareErrorAnswer(
      'UPSTREAM_ABORTED',
      'The vault sent response headers the proxy cannot pass on.',
      unreachableHint,
    ),
    loginRedirect: prepareErrorAnswer(
      'CF_ACCESS_LOGIN_REDIRECT',
      'Cloudflare Access answered with a login redirect instead of letting the service token through (failure mode B).',
      CLOUDFLARE_HINTS.denied,
    ),
    cloudflareDenied: prepareErrorAnswer(
      'CF_ACCESS_DENIED',
      'Cloudflare Access refused the proxy’s service token (failure mode B); the vault was not reached.',
      CLOUDFLARE_HINTS.denied,
    ),
    unreachable(err, afterConnect) {
      const code = typeof err.code === 'string' ? err.code : 'ERROR';
      if (TLS_ERROR.test(code)) {
        return prepareErrorAnswer(
          'UPSTREAM_UNREACHABLE',
          `TLS verification of ${upstream.hostname} failed (${code}); certificates are always verified.`,
          `Check that the vault's certificate is valid for ${upstream.hostname} and, for a private CA, set VAULT_PROXY_CA_FILE (${DIAGNOSIS}).`,
        );
      }
      if (afterConnect) {
        return prepareErrorAnswer(
          'UPSTREAM_ABORTED',
          `The vault at ${origin} closed the connection before answering (${code}).`,
          unreachableHint,
        );
      }
      return prepareErrorAnswer(
        'UPSTREAM_UNREACHABLE',
        `Cannot reach the vault at ${origin} via ${dialAddress} (${code}).`,
        unreachableHint,
      );
    },
    localNotFound: prepareErrorAnswer(
      'NOT_FOUND',
      `No such proxy-local endpoint; paths under ${LOCAL_PREFIX} are answered by the proxy itself.`,
      `Use GET ${LOCAL_PREFIX}health for liveness, or /api/status to check the vault through the proxy.`,
    ),
    cloudflareHint: CLOUDFLARE_HINTS.denied,
  };
}
