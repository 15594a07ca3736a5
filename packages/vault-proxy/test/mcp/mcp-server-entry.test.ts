import { describe, expect, it } from 'vitest';
import { isVaultProxyError, VaultProxyError } from '../../src/errors.js';
import { buildMcpServerEntry, INFISICAL_MCP_PACKAGE, looksLikeLiteralSecret, referencedVariables } from '../../src/mcp/index.js';
import { envRef, ref } from './env-ref.js';

function thrown(fn: () => unknown): VaultProxyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VaultProxyError) return error;
    throw error;
  }
  throw new Error('expected a VaultProxyError');
}

const HEX64 = 'a3f1c9e2'.repeat(8);
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJpZGVudGl0eUlkIjoiZTM0ZiJ9.c2lnbmF0dXJlLXBhcnQtaGVyZQ';
const TOKEN = 'st.9b2Kq7ZpX4mW1vR8tY3uN6aE0cD5fG';

describe('buildMcpServerEntry', () => {
  it('launches the pinned @infisical/mcp against the local proxy, read-only, with references for Claude Code', () => {
    expect(buildMcpServerEntry()).toEqual({
      type: 'stdio',
      command: 'npx',
      args: ['-y', INFISICAL_MCP_PACKAGE],
      env: {
        INFISICAL_HOST_URL: 'http://127.0.0.1:2019',
        INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: ref('INFISICAL_MCP_CLIENT_ID'),
        INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: ref('INFISICAL_MCP_CLIENT_SECRET'),
        INFISICAL_ENABLED_TOOLS: 'get-secret,list-secrets',
      },
    });
    expect(INFISICAL_MCP_PACKAGE).toBe('@infisical/mcp@0.0.24');
  });

  it('uses the env: reference form for VS Code and Cursor, and the same server otherwise', () => {
    const vscode = buildMcpServerEntry({ client: 'vscode', port: 4100 });
    const cursor = buildMcpServerEntry({ client: 'cursor', port: 4100 });
    expect(vscode.type).toBe('stdio');
    expect(cursor.type).toBeUndefined();
    for (const e of [vscode, cursor]) {
      expect(e.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID).toBe(envRef('INFISICAL_MCP_CLIENT_ID'));
      expect(e.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET).toBe(envRef('INFISICAL_MCP_CLIENT_SECRET'));
      expect(e.env.INFISICAL_HOST_URL).toBe('http://127.0.0.1:4100');
      expect(e.args).toEqual(['-y', INFISICAL_MCP_PACKAGE]);
    }
  });

  it('honours port, package, tools and custom references', () => {
    const e = buildMcpServerEntry({
      port: 3999,
      packageSpec: '@infisical/mcp@0.0.25',
      tools: ['get-secret'],
      clientIdRef: ref('MY_ID'),
      clientSecretRef: envRef('MY_SECRET'),
    });
    expect(e.args).toEqual(['-y', '@infisical/mcp@0.0.25']);
    expect(e.env).toMatchObject({
      INFISICAL_HOST_URL: 'http://127.0.0.1:3999',
      INFISICAL_ENABLED_TOOLS: 'get-secret',
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: ref('MY_ID'),
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: ref('MY_SECRET'),
    });
    expect(referencedVariables(e)).toEqual(['MY_ID', 'MY_SECRET']);
  });

  it.each([
    ['64 hex characters', HEX64],
    ['a JWT', JWT],
    ['a long random token', TOKEN],
    ['a short literal', 'hunter2'],
    ['a reference with extra text', `x${ref('INFISICAL_MCP_CLIENT_SECRET')}`],
  ])('refuses %s where a credential belongs, without echoing it', (_what, value) => {
    for (const key of ['clientSecretRef', 'clientIdRef'] as const) {
      const error = thrown(() => buildMcpServerEntry({ [key]: value }));
      expect(error.code).toBe('MCP_CONFIG_REFUSED');
      expect(error.message).toContain(key);
      expect(error.message).not.toContain(value);
      expect(JSON.stringify(error.details)).not.toContain(value);
    }
  });

  it('says why when the value looks like a secret', () => {
    expect(thrown(() => buildMcpServerEntry({ clientSecretRef: HEX64 })).message).toContain('looks like a literal secret (hex)');
    expect(thrown(() => buildMcpServerEntry({ clientSecretRef: JWT })).message).toContain('(jwt)');
  });

  it('refuses write tools unless explicitly allowed, naming the option to set (not the tools) for the CLI to name its flag', () => {
    const error = thrown(() => buildMcpServerEntry({ tools: ['get-secret', 'delete-secret', 'create-secret'] }));
    expect(error.code).toBe('MCP_CONFIG_REFUSED');
    expect(error.message).toContain('delete-secret, create-secret');
    expect(error.details).toMatchObject({ field: 'allowWriteTools', source: 'option' });
    expect(error.details.problem).toMatch(/^must be set to enable tools that change the vault/);
    const allowed = buildMcpServerEntry({ tools: ['get-secret', 'create-secret'], allowWriteTools: true });
    expect(allowed.env.INFISICAL_ENABLED_TOOLS).toBe('get-secret,create-secret');
  });

  it('suggests the reference of the credential at fault: the client id for clientIdRef, the secret for clientSecretRef', () => {
    const id = thrown(() => buildMcpServerEntry({ clientIdRef: 'hunter2' }));
    expect(id.details).toMatchObject({ field: 'clientIdRef', source: 'option' });
    expect(id.details.hint).toContain(ref('INFISICAL_MCP_CLIENT_ID'));
    expect(id.details.hint).not.toContain('INFISICAL_MCP_CLIENT_SECRET');
    const secret = thrown(() => buildMcpServerEntry({ clientSecretRef: 'hunter2' }));
    expect(secret.details).toMatchObject({ field: 'clientSecretRef', source: 'option' });
    expect(secret.details.hint).toContain('INFISICAL_MCP_CLIENT_SECRET');
  });

  it('rejects unknown tools, an empty tool list, bad ports and bad package specs as CONFIG_INVALID naming the option', () => {
    const unknown = thrown(() => buildMcpServerEntry({ tools: ['get-secrets'] }));
    expect(unknown.details).toMatchObject({ field: 'tools', source: 'option', problem: 'names unknown tools (get-secrets)' });
    expect(thrown(() => buildMcpServerEntry({ tools: [' '] })).code).toBe('CONFIG_INVALID');
    expect(thrown(() => buildMcpServerEntry({ port: 0 })).details).toMatchObject({ field: 'port', source: 'option' });
    expect(thrown(() => buildMcpServerEntry({ port: 70000 })).code).toBe('CONFIG_INVALID');
    expect(thrown(() => buildMcpServerEntry({ packageSpec: 'evil; rm -rf /' })).details).toMatchObject({
      field: 'packageSpec',
      source: 'option',
    });
    const client = thrown(() => buildMcpServerEntry({ client: 'emacs' as never }));
    expect(isVaultProxyError(client, 'CONFIG_INVALID')).toBe(true);
    expect(client.details).toMatchObject({ field: 'client', source: 'option' });
  });
});

describe('looksLikeLiteralSecret', () => {
  it('flags hex, JWTs and long mixed tokens but not references, URLs, tool lists or package specs', () => {
    for (const s of [HEX64, JWT, TOKEN, 'AKIAIOSFODNN7EXAMPLE1234567']) expect(looksLikeLiteralSecret(s)).toBe(true);
    for (const s of [
      ref('INFISICAL_MCP_CLIENT_SECRET'),
      'http://127.0.0.1:2019',
      'get-secret,list-secrets',
      '@infisical/mcp@0.0.24',
      '-y',
      'npx',
    ]) {
      expect(looksLikeLiteralSecret(s)).toBe(false);
    }
  });
});
