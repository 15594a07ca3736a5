import { type PreparedAnswer, prepareErrorAnswer } from './error-response.js';
import type { ResolvedProxyOptions } from './options.js';

/**
 * The answers and hints the proxy gives when upstream fails or Cloudflare
 * Access stops a request, each naming the runbook step or failure mode.
 * Fixed ones are prepared once; only a transport error's code varies.
 * @internal
 */
export interface FailureAnswers {
  /** 504: no response in time. */
  readonly timeout: PreparedAnswer;
  /** 502: the vault answered with something other than a plain HTTP/1.1 response (101, an unknown 1xx). */
  readonly protocol: PreparedAnswer;
  /** 403: Cloudflare Access redirected to its login page (failure mode B). */
  readonly loginRedirect: PreparedAnswer;
  /** Hint logged with a Cloudflare Access 403 (failure mode B). */
  readonly cfDeniedHint: string;
  /** Hint for a vault the proxy cannot reach (runbook §How to diagnose step 2). */
  readonly unreachableHint: string;
  /** 502 for a transport error; only the error's code goes into the text. */
  unreachable(err: NodeJS.ErrnoException, afterConnect: boolean): PreparedAnswer;
}

const HINT_502 = 'runbook §How to diagnose step 2: a 502 means the proxy runs but the vault is unreachable';
const TLS_ERROR = /CERT|SIGNATURE|ERR_TLS|ERR_SSL|SSL_/;

/** @internal */
export function createFailureAnswers(options: ResolvedProxyOptions, dialAddress: string): FailureAnswers {
  const { upstream } = options;
  const origin = upstream.origin;
  const cfDeniedHint =
    'Cloudflare Access refused the service token: check that CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET are set, current and for this application (runbook failure mode B).';
  const unreachableHint = `The proxy is running but ${origin} is unreachable: check the Infisical host's health and the network (${HINT_502}).`;
  return {
    timeout: prepareErrorAnswer(
      'UPSTREAM_TIMEOUT',
      `The vault at ${origin} sent no complete response head within ${options.upstreamTimeoutMs} ms, or the exchange stalled for ${options.idleTimeoutMs} ms.`,
      `Check the Infisical host's health (${HINT_502}/504), or raise VAULT_PROXY_UPSTREAM_TIMEOUT_MS (head) or VAULT_PROXY_IDLE_TIMEOUT_MS (stalls).`,
    ),
    protocol: prepareErrorAnswer(
      'UPSTREAM_PROTOCOL_ERROR',
      `The vault at ${origin} answered with a protocol switch or an interim status the proxy does not relay.`,
      `The proxy forwards plain HTTP/1.1 requests only; check that ${origin} is the Infisical server (${HINT_502}).`,
    ),
    loginRedirect: prepareErrorAnswer(
      'CF_ACCESS_LOGIN_REDIRECT',
      'Cloudflare Access answered with a login redirect instead of letting the service token through.',
      cfDeniedHint,
    ),
    cfDeniedHint,
    unreachableHint,
    unreachable(err, afterConnect) {
      const code = typeof err.code === 'string' ? err.code : 'ERROR';
      if (TLS_ERROR.test(code)) {
        return prepareErrorAnswer(
          'UPSTREAM_UNREACHABLE',
          `TLS verification of ${upstream.hostname} failed (${code}); certificates are always verified.`,
          `Check that the vault's certificate is valid for ${upstream.hostname} and, for a private CA, set VAULT_PROXY_CA_FILE (${HINT_502}).`,
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
  };
}
