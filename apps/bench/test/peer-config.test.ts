import { describe, expect, it } from 'vitest';
import { caddyConfig, haproxyConfig, nginxConfig, type PeerConfigInput } from '../src/targets/peer-config.js';
import { createExpectedHeaders } from '../src/upstream/expected-headers.js';

const expected = createExpectedHeaders();
const input: PeerConfigInput = {
  listenPort: 41001,
  upstreamPort: 41002,
  caFile: '/tmp/bench/ca.pem',
  expected,
  poolSize: 64,
  workers: 1,
  dir: '/tmp/bench/peer',
  accessLogFile: '/tmp/bench/peer/access.log',
};

describe('peer configs: the same header-injecting reverse proxy in each language', () => {
  it('nginx verifies the upstream against the test CA by name, keeps connections alive and sets the four headers', () => {
    const conf = nginxConfig(input);
    expect(conf).toContain('listen 127.0.0.1:41001;');
    expect(conf).toContain('server 127.0.0.1:41002;');
    expect(conf).toContain('keepalive 64;');
    expect(conf).toContain('proxy_pass https://vault;');
    expect(conf).toContain('proxy_ssl_verify on;');
    expect(conf).toContain('proxy_ssl_trusted_certificate /tmp/bench/ca.pem;');
    expect(conf).toContain('proxy_ssl_name vault.raxx.app;');
    expect(conf).toContain('proxy_ssl_server_name on;');
    expect(conf).toContain('proxy_set_header Connection "";');
    expect(conf).toContain('proxy_set_header Host "vault.raxx.app";');
    expect(conf).toContain('proxy_set_header User-Agent "raxx-vault-proxy/1.0";');
    expect(conf).toContain(`proxy_set_header CF-Access-Client-Id "${expected.cfAccessClientId}";`);
    expect(conf).toContain(`proxy_set_header CF-Access-Client-Secret "${expected.cfAccessClientSecret}";`);
    expect(conf).toContain('access_log /tmp/bench/peer/access.log;');
    expect(nginxConfig({ ...input, accessLogFile: undefined })).toContain('access_log off;');
  });

  it('Caddy trusts only the test CA, sends SNI vault.raxx.app, pools idle connections and sets the four headers', () => {
    const conf = JSON.parse(caddyConfig(input));
    const server = conf.apps.http.servers.bench;
    expect(server.listen).toEqual(['127.0.0.1:41001']);
    const handler = server.routes[0].handle[0];
    expect(handler.handler).toBe('reverse_proxy');
    expect(handler.upstreams).toEqual([{ dial: '127.0.0.1:41002' }]);
    expect(handler.transport.tls).toEqual({ root_ca_pem_files: ['/tmp/bench/ca.pem'], server_name: 'vault.raxx.app' });
    expect(handler.transport.tls.insecure_skip_verify).toBeUndefined();
    expect(handler.transport.keep_alive).toMatchObject({ enabled: true, max_idle_conns_per_host: 64 });
    expect(handler.headers.request.set).toEqual({
      Host: ['vault.raxx.app'],
      'User-Agent': ['raxx-vault-proxy/1.0'],
      'Cf-Access-Client-Id': [expected.cfAccessClientId],
      'Cf-Access-Client-Secret': [expected.cfAccessClientSecret],
    });
    // The admin API would bind 2019, the vault proxy's own default port.
    expect(conf.admin).toEqual({ disabled: true });
    expect(server.logs).toEqual({ default_logger_name: 'bench' });
    expect(JSON.parse(caddyConfig({ ...input, accessLogFile: undefined })).apps.http.servers.bench.logs).toBeUndefined();
  });

  it('HAProxy requires verification against the CA with SNI and verifyhost, and sets the four headers', () => {
    const conf = haproxyConfig(input);
    expect(conf).toContain('bind 127.0.0.1:41001');
    expect(conf).toContain('ssl-server-verify required');
    expect(conf).toMatch(
      /server vault 127\.0\.0\.1:41002 ssl verify required ca-file \/tmp\/bench\/ca\.pem sni str\(vault\.raxx\.app\) verifyhost vault\.raxx\.app/,
    );
    expect(conf).not.toContain('verify none');
    expect(conf).toContain('http-request set-header Host "vault.raxx.app"');
    expect(conf).toContain('http-request set-header User-Agent "raxx-vault-proxy/1.0"');
    expect(conf).toContain(`http-request set-header CF-Access-Client-Id "${expected.cfAccessClientId}"`);
    expect(conf).toContain(`http-request set-header CF-Access-Client-Secret "${expected.cfAccessClientSecret}"`);
    expect(conf).toContain('option httplog');
    expect(haproxyConfig({ ...input, accessLogFile: undefined })).not.toContain('log ');
  });

  it('refuses a header value that could break out of a quoted config string', () => {
    const bad = { ...input, expected: { ...expected, cfAccessClientId: 'x";\n  return 200;#' } };
    expect(() => nginxConfig(bad)).toThrow(/characters no peer config may hold/);
    expect(() => haproxyConfig(bad)).toThrow(/characters no peer config may hold/);
  });
});
