import { describe, expect, it } from 'vitest';
import { vaultAccessHeaders } from '../../src/cloudflare/access-headers.js';
import { isCloudflareAccessLogin, isCloudflareMarked, isCloudflareRefusal } from '../../src/cloudflare/cloudflare-answer.js';
import { SecretValue } from '../../src/secret-value.js';

describe('recognising Cloudflare’s own answers', () => {
  it('a marked 403 that is not JSON is the edge refusing; Infisical’s JSON 403 relayed through it is not', () => {
    expect(isCloudflareRefusal(403, { server: 'cloudflare', 'content-type': 'text/html' })).toBe(true);
    expect(isCloudflareRefusal(403, { 'cf-ray': '1-AMS' })).toBe(true);
    expect(isCloudflareRefusal(403, { server: 'cloudflare', 'cf-ray': '1', 'content-type': 'application/json; charset=utf-8' })).toBe(
      false,
    );
    expect(isCloudflareRefusal(403, { server: 'nginx', 'content-type': 'text/html' })).toBe(false);
    expect(isCloudflareRefusal(401, { server: 'cloudflare' })).toBe(false);
    expect(isCloudflareMarked({ Server: 'cloudflare' })).toBe(false); // header bags are lower-cased by node
  });

  it('a redirect to *.cloudflareaccess.com is the Access login', () => {
    expect(isCloudflareAccessLogin('https://raxx.cloudflareaccess.com/cdn-cgi/access/login/vault.raxx.app', 'https://vault.raxx.app')).toBe(
      true,
    );
    expect(isCloudflareAccessLogin('/cdn-cgi/access/login', 'https://vault.raxx.app')).toBe(false);
    expect(isCloudflareAccessLogin('https://cloudflareaccess.com.evil.example/', 'https://vault.raxx.app')).toBe(false);
    expect(isCloudflareAccessLogin('::not a url::', 'not a base')).toBe(false);
  });

  it('builds the three access headers from a token', () => {
    expect(vaultAccessHeaders({ cfAccessClientId: 'i', cfAccessClientSecret: new SecretValue('s'), userAgent: 'ua/1' })).toEqual({
      'CF-Access-Client-Id': 'i',
      'CF-Access-Client-Secret': 's',
      'User-Agent': 'ua/1',
    });
  });
});
