import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createHeaderPolicy, downstreamResponseHeaders, upstreamRequestHeaders } from '../../src/proxy/header-policy.js';
import { redactHeaders } from '../../src/proxy/header-redaction.js';
import { resolveProxyOptions } from '../../src/proxy/proxy-options.js';

const SECRET = 'unit-canary-secret-91ab';
const options = resolveProxyOptions(
  { cfAccessClientId: 'cf-id', cfAccessClientSecret: SECRET, upstream: 'https://vault.raxx.app:8443' },
  {},
);
const policy = createHeaderPolicy(options.connection);

/** Values of `name` in a raw list, case-insensitively. */
function values(raw: readonly string[], name: string): string[] {
  return raw.filter((_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === name);
}
function names(raw: readonly string[]): string[] {
  return raw.filter((_, i) => i % 2 === 0);
}

describe('createHeaderPolicy', () => {
  it('keeps the secret out of serialisation and inspection', () => {
    expect(JSON.stringify(policy)).not.toContain(SECRET);
    expect(inspect(policy, { depth: 5 })).not.toContain(SECRET);
    expect(policy.upstreamHost).toBe('vault.raxx.app:8443');
  });
});

describe('upstreamRequestHeaders', () => {
  it('injects Host, the CF Access pair and User-Agent once each', () => {
    const out = upstreamRequestHeaders(['Host', 'localhost:2019', 'User-Agent', 'node', 'Accept', '*/*'], policy);
    expect(values(out, 'host')).toEqual(['vault.raxx.app:8443']);
    expect(values(out, 'user-agent')).toEqual(['raxx-vault-proxy/1.0']);
    expect(values(out, 'cf-access-client-id')).toEqual(['cf-id']);
    expect(values(out, 'cf-access-client-secret')).toEqual([SECRET]);
    expect(values(out, 'accept')).toEqual(['*/*']);
  });

  it('drops inbound CF-Access-*, Proxy-*, hop-by-hop and Expect headers', () => {
    const out = upstreamRequestHeaders(
      [
        'CF-Access-Client-Secret',
        'x',
        'cf-access-jwt-assertion',
        'y',
        'Proxy-Authorization',
        'z',
        'Proxy-Connection',
        'keep-alive',
        'Connection',
        'keep-alive',
        'Keep-Alive',
        'timeout=5',
        'TE',
        'trailers',
        'Trailer',
        'X',
        'Trailers',
        'X',
        'Upgrade',
        'h2c',
        'Expect',
        '100-continue',
        'X-Keep',
        '1',
      ],
      policy,
    );
    expect(names(out).map((n) => n.toLowerCase())).toEqual([
      'x-keep',
      'host',
      'cf-access-client-id',
      'cf-access-client-secret',
      'user-agent',
    ]);
    expect(values(out, 'cf-access-client-secret')).toEqual([SECRET]);
  });

  it('drops what Connection names, but never the injected headers', () => {
    const out = upstreamRequestHeaders(
      ['Connection', 'X-A, cf-access-client-secret , HOST,User-Agent,cf-access-client-id', 'X-A', '1', 'X-B', '2'],
      policy,
    );
    expect(values(out, 'x-a')).toEqual([]);
    expect(values(out, 'x-b')).toEqual(['2']);
    expect(values(out, 'cf-access-client-secret')).toEqual([SECRET]);
    expect(values(out, 'cf-access-client-id')).toEqual(['cf-id']);
    expect(values(out, 'host')).toEqual(['vault.raxx.app:8443']);
    expect(values(out, 'user-agent')).toEqual(['raxx-vault-proxy/1.0']);
  });

  it.each([
    ['a=1; CF_Authorization=jwt; b=2', 'a=1; b=2'],
    ['CF_Authorization=jwt;b=2', 'b=2'],
    ['a=1;cf_authorization=jwt', 'a=1'],
    ['a=1; xCF_Authorization=keep', 'a=1; xCF_Authorization=keep'],
    ['a=CF_Authorization', 'a=CF_Authorization'],
  ])('strips the CF_Authorization pair from Cookie %s', (cookie, expected) => {
    expect(values(upstreamRequestHeaders(['Cookie', cookie], policy), 'cookie')).toEqual([expected]);
  });

  it('drops a Cookie header holding only CF_Authorization', () => {
    expect(values(upstreamRequestHeaders(['Cookie', ' CF_Authorization=jwt '], policy), 'cookie')).toEqual([]);
  });

  it('re-announces a chunked body and never sends Content-Length with it', () => {
    const out = upstreamRequestHeaders(['Content-Length', '10', 'Transfer-Encoding', 'chunked'], policy);
    expect(values(out, 'transfer-encoding')).toEqual(['chunked']);
    expect(values(out, 'content-length')).toEqual([]);
    const plain = upstreamRequestHeaders(['Content-Length', '10'], policy);
    expect(values(plain, 'content-length')).toEqual(['10']);
    expect(values(plain, 'transfer-encoding')).toEqual([]);
  });

  it('keeps name case, order and repeats; accepts a headers object too', () => {
    const out = upstreamRequestHeaders(['X-One', '1', 'x-two', '2', 'X-ONE', '3'], policy);
    expect(out.slice(0, 6)).toEqual(['X-One', '1', 'x-two', '2', 'X-ONE', '3']);
    const fromObject = upstreamRequestHeaders({ 'x-one': ['1', '3'], host: 'localhost', 'cf-access-client-id': 'evil' }, policy);
    expect(values(fromObject, 'x-one')).toEqual(['1', '3']);
    expect(values(fromObject, 'cf-access-client-id')).toEqual(['cf-id']);
  });
});

describe('downstreamResponseHeaders', () => {
  it('drops hop-by-hop, Proxy-*, cf-access-*, Alt-Svc and Connection-named headers', () => {
    const out = downstreamResponseHeaders([
      'Connection',
      'keep-alive, X-Internal',
      'Keep-Alive',
      'timeout=5',
      'Transfer-Encoding',
      'chunked',
      'X-Internal',
      'i',
      'Proxy-Authenticate',
      'Basic',
      'CF-Access-Client-Secret',
      'reflected',
      'Alt-Svc',
      'h3=":443"',
      'Content-Type',
      'application/json',
      'CF-Ray',
      '1-AMS',
    ]);
    expect(out).toEqual(['Content-Type', 'application/json', 'CF-Ray', '1-AMS']);
  });

  it('drops only the CF_Authorization Set-Cookie', () => {
    const out = downstreamResponseHeaders({
      'set-cookie': ['CF_Authorization=jwt; Path=/', 'sid=1; Path=/', ' cf_authorization =x', 'other=CF_Authorization'],
    });
    expect(values(out, 'set-cookie')).toEqual(['sid=1; Path=/', 'other=CF_Authorization']);
  });
});

describe('redactHeaders', () => {
  it('redacts credential headers from objects and raw lists without touching the input', () => {
    const input = {
      'CF-Access-Client-Secret': SECRET,
      authorization: `Bearer ${SECRET}`,
      Cookie: `CF_Authorization=${SECRET}`,
      'set-cookie': [`a=${SECRET}`, 'b=2'],
      'cf-access-jwt-assertion': SECRET,
      'proxy-authorization': SECRET,
      'x-api-key': SECRET,
      'cf-access-client-id': 'cf-id',
      accept: 'application/json',
    };
    const copy = structuredClone(input);
    const out = redactHeaders(input);
    expect(input).toEqual(copy);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out['cf-access-client-secret']).toBe('[redacted]');
    expect(out['set-cookie']).toEqual(['[redacted]', '[redacted]']);
    expect(out['cf-access-client-id']).toBe('[redacted]');
    expect(out.accept).toBe('application/json');
    const fromRaw = redactHeaders(['Authorization', SECRET, 'X-A', '1', 'x-a', '2']);
    expect(fromRaw).toEqual({ authorization: '[redacted]', 'x-a': ['1', '2'] });
  });

  it('makes what the proxy sends upstream safe to log', () => {
    const out = upstreamRequestHeaders(['Accept', '*/*'], policy);
    expect(JSON.stringify(redactHeaders(out))).not.toContain(SECRET);
  });
});
