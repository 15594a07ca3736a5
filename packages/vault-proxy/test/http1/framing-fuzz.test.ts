/**
 * Differential fuzzing of the proxy's request framing against Node's own
 * llhttp (strict mode): thousands of mutated requests, each parsed by both.
 * Whatever the proxy accepts, llhttp must read the same way (method, target,
 * every header, the same body bytes); whatever llhttp refuses in the head,
 * the proxy refuses too. A difference would be room for smuggling.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ChunkedDecoder } from '../../src/http1/chunked-decoder.js';
import type { BodyFraming } from '../../src/http1/head-syntax.js';
import { parseRequestHead } from '../../src/http1/request-head.js';
import { parseResponseHead } from '../../src/http1/response-head.js';

const require = createRequire(import.meta.url);
// The parser behind node:http, used here as the reference; `_http_common` is Node's own module.
const { HTTPParser, methods } = require('node:_http_common') as {
  HTTPParser: (new () => LlParser) & Record<string, number>;
  methods: string[];
};

interface LlParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): number | Error | undefined;
  close(): void;
  [key: number]: unknown;
}

interface Reading {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly string[];
  readonly body: string;
}

/** llhttp's body and end-of-message events for `parser`, read as they come. */
function readBody(parser: LlParser): { body: string; complete: boolean } {
  const read = { body: '', complete: false };
  parser[HTTPParser.kOnBody as number] = (b: Buffer) => {
    read.body += b.toString('latin1');
  };
  parser[HTTPParser.kOnMessageComplete as number] = () => {
    read.complete = true;
  };
  return read;
}

/** llhttp's reading of `buf`: the first message if it completes, `'head-error'` if the head is refused, `'other'` otherwise. */
function llhttp(buf: Buffer): Reading | 'head-error' | 'other' {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST as number, {}, 16_384, 0);
  let headers: string[] = [];
  let head: { method: string; target: string } | undefined;
  parser[HTTPParser.kOnHeaders as number] = (h: string[]) => {
    // After the head, these are trailers: the proxy reads and drops them, so they are not compared.
    if (!head) headers = headers.concat(h);
  };
  parser[HTTPParser.kOnHeadersComplete as number] = (_ma: number, _mi: number, h: string[] | undefined, method: number, url: string) => {
    if (h) headers = headers.concat(h);
    head = { method: methods[method] as string, target: url };
    return 0;
  };
  const read = readBody(parser);
  const ret = parser.execute(buf);
  parser.close();
  if (ret instanceof Error && !head) return 'head-error';
  if (!head || !read.complete) return 'other';
  return { ...head, headers, body: read.body };
}

/** The proxy's reading of `buf`: the same shape, or `'refused'` / `'incomplete'`. */
function proxy(buf: Buffer): Reading | 'refused' | 'incomplete' {
  const parsed = parseRequestHead(buf, { maxHeaderSize: 16_384, maxHeaderCount: 1000 });
  if (!parsed.ok) return parsed.problem === 'incomplete' ? 'incomplete' : 'refused';
  const { head } = parsed;
  const body = bodyOf(head.framing, buf.subarray(parsed.consumed));
  if (body === 'refused' || body === 'incomplete') return body;
  return { method: head.method, target: head.target, headers: head.rawHeaders, body };
}

/** The body the proxy's framing reads from `rest` (a `close` body runs to the end of the bytes). */
function bodyOf(framing: BodyFraming, rest: Buffer): string | 'refused' | 'incomplete' {
  if (framing.kind === 'length') {
    return rest.length < framing.length ? 'incomplete' : rest.toString('latin1', 0, framing.length);
  }
  if (framing.kind === 'chunked') {
    let body = '';
    const decoder = new ChunkedDecoder();
    if (decoder.push(rest, (d) => (body += d.toString('latin1'))) === -1) return 'refused';
    return decoder.done ? body : 'incomplete';
  }
  return framing.kind === 'close' ? rest.toString('latin1') : '';
}

/** A small seeded PRNG (mulberry32), so a failure is reproducible from its case number. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'GET /api/v3/secrets/raw/KEY?workspaceId=1&environment=prod HTTP/1.1\r\nHost: localhost:2019\r\nAccept: */*\r\nAuthorization: Bearer x\r\n\r\n',
  'POST /api/v1/auth/universal-auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello',
  'POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\n\r\n',
  'PUT /q HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok',
  'DELETE /r HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
];
const BYTES = ['\r', '\n', ' ', '\t', ':', ',', ';', '0', '5', 'a', 'F', '-', '_', '\x00', '\x7f', '\x80', '"', '/', '?', '=', 'x'];
const LINES = [
  'Content-Length: 3',
  'Content-Length: 0',
  'Content-Length: 5, 5',
  'Transfer-Encoding: chunked',
  'Transfer-Encoding: gzip, chunked',
  'Transfer-Encoding: identity',
  ' folded: line',
  '\tfolded',
  'Content-Length : 3',
  'X-Empty:',
  'Host: evil.example',
  'Connection: close',
];

function mutate(text: string, rnd: () => number): string {
  let out = text;
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const op = rnd();
    if (op < 0.3) out = out.slice(0, at) + (BYTES[Math.floor(rnd() * BYTES.length)] as string) + out.slice(at);
    else if (op < 0.5) out = out.slice(0, at) + out.slice(at + 1);
    else if (op < 0.7) out = out.slice(0, at) + (BYTES[Math.floor(rnd() * BYTES.length)] as string) + out.slice(at + 1);
    else {
      // A whole header line, placed after a line end.
      const eol = out.indexOf('\r\n', at);
      if (eol !== -1) out = `${out.slice(0, eol + 2)}${LINES[Math.floor(rnd() * LINES.length)]}\r\n${out.slice(eol + 2)}`;
    }
  }
  return out;
}

describe('request framing, differentially against llhttp', () => {
  it('reads every seed exactly as llhttp does', () => {
    for (const seed of SEEDS) {
      const buf = Buffer.from(seed, 'latin1');
      expect(proxy(buf), seed).toEqual(llhttp(buf));
    }
  });

  it('accepts only what llhttp reads the same way, and refuses every head llhttp refuses (6,000 mutated requests)', () => {
    const { accepted, refused } = differential(SEEDS, 0x5eed, 6_000, proxy, llhttp);
    // Both outcomes must really occur, or the fuzzing proves nothing.
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  }, 30_000);
});

/**
 * Feed `count` mutations of `seeds` to the proxy's parser (`ours`) and to llhttp (`theirs`): whatever the
 * proxy accepts, llhttp must read the same way; whatever llhttp refuses in the head, the proxy must not
 * accept. Returns how often the proxy accepted and refused.
 */
function differential<T extends object>(
  seeds: readonly string[],
  seed: number,
  count: number,
  ours: (buf: Buffer) => T | 'refused' | 'incomplete',
  theirs: (buf: Buffer) => T | 'head-error' | 'other',
): { accepted: number; refused: number } {
  const rnd = random(seed);
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < count; i++) {
    const text = mutate(seeds[i % seeds.length] as string, rnd);
    const buf = Buffer.from(text, 'latin1');
    const mine = ours(buf);
    const llhttpReading = theirs(buf);
    if (typeof mine === 'object') {
      accepted++;
      expect(llhttpReading, `case ${i}: ${JSON.stringify(text)}`).toEqual(mine);
    } else if (mine === 'refused') refused++;
    if (llhttpReading === 'head-error') expect(typeof mine, `case ${i}: ${JSON.stringify(text)}`).not.toBe('object');
  }
  return { accepted, refused };
}

/** llhttp's reading of a response to GET: status, headers, body, when the message completes (a close-delimited one at the end of input). */
function llhttpResponse(buf: Buffer): { status: number; headers: string[]; body: string } | 'head-error' | 'other' {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.RESPONSE as number, {}, 65_536, 0);
  let headers: string[] = [];
  let status: number | undefined;
  parser[HTTPParser.kOnHeaders as number] = (h: string[]) => {
    if (status === undefined) headers = headers.concat(h);
  };
  parser[HTTPParser.kOnHeadersComplete as number] = (
    _ma: number,
    _mi: number,
    h: string[] | undefined,
    _m: number,
    _u: string,
    code: number,
  ) => {
    if (h) headers = headers.concat(h);
    status = code;
    return 0;
  };
  const read = readBody(parser);
  const ret = parser.execute(buf);
  if (!(ret instanceof Error) && !read.complete) parser.finish();
  parser.close();
  if (ret instanceof Error && status === undefined) return 'head-error';
  if (status === undefined || !read.complete) return 'other';
  return { status, headers, body: read.body };
}

function proxyResponse(buf: Buffer): { status: number; headers: string[]; body: string } | 'refused' | 'incomplete' {
  const parsed = parseResponseHead(buf, { maxHeaderSize: 65_536, maxHeaderCount: 1000 }, 'GET');
  if (!parsed.ok) return parsed.problem === 'incomplete' ? 'incomplete' : 'refused';
  const { head } = parsed;
  const body = bodyOf(head.framing, buf.subarray(parsed.consumed));
  if (body === 'refused' || body === 'incomplete') return body;
  return { status: head.status, headers: head.rawHeaders, body };
}

const RESPONSE_SEEDS = [
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}',
  'HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nnope\r\n0\r\n\r\n',
  'HTTP/1.1 204 No Content\r\nKeep-Alive: timeout=5\r\n\r\n',
  'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end',
];

describe('response framing, differentially against llhttp', () => {
  it('accepts only responses llhttp reads the same way, and refuses every head llhttp refuses (4,000 mutated responses)', () => {
    const { accepted, refused } = differential(RESPONSE_SEEDS, 0xbeef, 4_000, proxyResponse, llhttpResponse);
    expect(accepted).toBeGreaterThan(400);
    expect(refused).toBeGreaterThan(400);
  }, 30_000);
});
