import { type PreparedAnswer, prepareErrorAnswer } from './error-response.js';
import type { ResolvedProxyOptions } from './options.js';

/**
 * Answers for requests node:http's parser refused before the proxy saw
 * them (its `clientError` event): malformed bytes, a header block over the
 * size limit, a client too slow to send its request. Each is answered and
 * logged like any other refusal; nothing reaches upstream.
 * @internal
 */
export interface ClientErrorAnswers {
  /** The answer for a parser or timeout error; `undefined` for a connection that just broke (nothing to answer). */
  forError(err: NodeJS.ErrnoException): PreparedAnswer | undefined;
}

/** Errors of a connection, not of a request: there is no one to answer. */
const CONNECTION_GONE: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

/** @internal */
export function createClientErrorAnswers(options: ResolvedProxyOptions): ClientErrorAnswers {
  const invalid = prepareErrorAnswer(
    'REQUEST_INVALID',
    'The request is not valid HTTP/1.1 (the proxy parses strictly and forwards nothing it cannot read unambiguously).',
    'Send one well-formed request: CRLF line ends, one Content-Length or chunked framing, no folded headers.',
  );
  const tooLarge = prepareErrorAnswer(
    'REQUEST_HEADERS_TOO_LARGE',
    `The request header block is larger than ${options.maxHeaderSize} bytes.`,
    'Send fewer or shorter headers.',
  );
  const timeout = prepareErrorAnswer(
    'REQUEST_TIMEOUT',
    `The request was not received in time (headers within ${options.headersTimeoutMs} ms, whole request within ${options.requestTimeoutMs} ms).`,
    'Send the whole request without pausing.',
  );
  return {
    forError(err) {
      const code = err.code ?? '';
      if (CONNECTION_GONE.has(code)) return undefined;
      if (code === 'HPE_HEADER_OVERFLOW') return tooLarge;
      if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return timeout;
      return invalid;
    },
  };
}
