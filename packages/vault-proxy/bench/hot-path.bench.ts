/**
 * The proxy's own JavaScript per forwarded request, without sockets: the
 * request head parsed and rewritten for the vault, the vault's response head
 * parsed and rewritten for the client, the access line. Run with
 * `pnpm bench:micro`. It compares code paths on one machine in one process
 * (steadier than the loopback bench on a busy VM, BENCHMARKS.md §Issue 13);
 * it sets no targets and asserts nothing.
 */
import { bench, describe } from 'vitest';
import { resolveConnection } from '../src/connection/connection-options.js';
import { requestHeadText, responseHeadText } from '../src/http1/head-writer.js';
import { parseRequestHead } from '../src/http1/request-head.js';
import { parseResponseHead } from '../src/http1/response-head.js';
import { formatAccessLine } from '../src/proxy/access-log.js';
import { createHeaderPolicy, downstreamResponseHeaders, forwardedRequestHeaders } from '../src/proxy/header-policy.js';

const LIMITS = { maxHeaderSize: 16_384, maxHeaderCount: 100 };
// What the loopback bench's load generator sends (apps/bench: its secret path and an MCP-like bearer
// token, BENCHMARKS.md §How it measures), and what the bench's vault behind Node's http server answers.
const TOKEN = `Bearer eyJhbGciOiJIUzI1NiJ9.${'x'.repeat(128)}.${'y'.repeat(43)}`;
const REQUEST = Buffer.from(
  'GET /api/v3/secrets/raw/DB_PASSWORD?secretName=DB_PASSWORD&workspaceId=29b77751-f761-4afa-b3fa-2c842988f95c' +
    '&environment=prod&expandSecretReferences=true&includeImports=true&secretPath=%2FMooseQuest%2F&viewSecretValue=true HTTP/1.1\r\n' +
    `Host: 127.0.0.1:2019\r\nAuthorization: ${TOKEN}\r\nUser-Agent: axios/1.12.2\r\nAccept: application/json, text/plain, */*\r\n\r\n`,
  'latin1',
);
const BODY = `{"secret":{"secretKey":"DB_PASSWORD","secretValue":"canary-not-a-secret","version":1,"pad":"${'p'.repeat(920)}"}}`;
const RESPONSE = Buffer.from(
  `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${BODY.length}\r\n` +
    `Date: Mon, 30 Nov 2026 03:10:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=600\r\n\r\n${BODY}`,
  'latin1',
);
/** Requests per timed call: one request takes microseconds, too close to the timer's own cost to time alone. */
const BATCH = 100;
/** Longer than tinybench's defaults: on a shared machine, short runs mostly measure the neighbours. */
const TIMING = { time: 2000, warmupTime: 500 };
const policy = createHeaderPolicy(
  resolveConnection({ upstream: 'https://vault.raxx.app', cfAccessClientId: 'bench-id', cfAccessClientSecret: 'bench-secret' }, {}),
);

function parseBoth(): void {
  if (!parseRequestHead(REQUEST, LIMITS).ok || !parseResponseHead(RESPONSE, LIMITS, 'GET').ok) throw new Error('parse');
}

function wholeRequest(): void {
  const request = parseRequestHead(REQUEST, LIMITS);
  const response = parseResponseHead(RESPONSE, LIMITS, 'GET');
  if (!request.ok || !response.ok) throw new Error('parse');
  const { headers, framing } = forwardedRequestHeaders(request.head.rawHeaders, policy, request.head.lowerNames);
  requestHeadText(request.head.method, request.head.target, headers, policy.injectedLines(), framing);
  const down = downstreamResponseHeaders(response.head.rawHeaders, response.head.lowerNames);
  down.push('Content-Length', String(BODY.length));
  const head = responseHeadText(response.head.status, response.head.reason, down);
  const out = Buffer.allocUnsafe(head.length + BODY.length);
  out.write(head, 0, 'latin1');
  RESPONSE.copy(out, head.length, RESPONSE.length - BODY.length);
  formatAccessLine(
    {
      method: 'GET',
      target: request.head.target,
      status: 200,
      upstreamMs: 0.4,
      durationMs: 0.9,
      bytes: BODY.length,
      code: undefined,
      aborted: false,
    },
    'pretty',
  );
}

describe(`${BATCH} requests`, () => {
  bench(
    'parse both heads',
    () => {
      for (let i = 0; i < BATCH; i++) parseBoth();
    },
    TIMING,
  );
  bench(
    'parse, rewrite both heads, access line',
    () => {
      for (let i = 0; i < BATCH; i++) wholeRequest();
    },
    TIMING,
  );
});
