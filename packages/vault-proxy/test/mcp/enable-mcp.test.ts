import { linkSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultProxyError, type VaultProxyError } from '../../src/errors.js';
import { buildMcpServerEntry, enableMcp } from '../../src/mcp/index.js';
import { envRef } from './env-ref.js';
import { type TempDir, tempDir } from './temp-repo.js';

const dirs: TempDir[] = [];
function repo(git = true): TempDir {
  const d = tempDir(git);
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const mode = (path: string) => statSync(path).mode & 0o777;

async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('enableMcp', () => {
  it('writes .mcp.json at the git top level of INIT_CWD, mode 0600, and git-ignores it once', async () => {
    const r = repo();
    mkdirSync(join(r.path, 'packages', 'app'), { recursive: true });
    writeFileSync(join(r.path, '.gitignore'), 'node_modules/');
    const env = { INIT_CWD: join(r.path, 'packages', 'app'), VAULT_PROXY_PORT: '4321', INFISICAL_MCP_CLIENT_ID: 'id' };

    const first = await enableMcp({ env });
    const file = join(r.path, '.mcp.json');
    expect(first).toMatchObject({ file, root: r.path, action: 'created', gitignore: 'added', client: 'claude', serverName: 'infisical' });
    expect(first.variables).toEqual([
      { name: 'INFISICAL_MCP_CLIENT_ID', set: true },
      { name: 'INFISICAL_MCP_CLIENT_SECRET', set: false },
    ]);
    expect(read(file)).toEqual({ mcpServers: { infisical: buildMcpServerEntry({ port: 4321 }) } });
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(join(r.path, '.gitignore'), 'utf8')).toBe('node_modules/\n/.mcp.json\n');
    expect(r.git('check-ignore', '.mcp.json').trim()).toBe('.mcp.json');

    const second = await enableMcp({ env });
    expect(second.action).toBe('unchanged');
    expect(second.gitignore).toBe('already-ignored');
    expect(readFileSync(join(r.path, '.gitignore'), 'utf8')).toBe('node_modules/\n/.mcp.json\n');
  });

  it('keeps other servers and keys, and replaces the file atomically', async () => {
    const r = repo();
    const file = join(r.path, '.mcp.json');
    const before = { mcpServers: { github: { command: 'gh-mcp', args: [] } }, note: 'keep me' };
    writeFileSync(file, JSON.stringify(before), { mode: 0o644 });
    // A second name for the old inode: an in-place write would change what it shows.
    linkSync(file, join(r.path, 'old-link.json'));

    const result = await enableMcp({ dir: r.path, env: {} });
    expect(result.action).toBe('updated');
    expect(result.otherServers).toEqual(['github']);
    expect(read(file)).toEqual({ ...before, mcpServers: { ...before.mcpServers, infisical: buildMcpServerEntry() } });
    expect(mode(file)).toBe(0o600);
    expect(read(join(r.path, 'old-link.json'))).toEqual(before);
    expect(readdirSync(r.path).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a malformed file by path and changes nothing (not even .gitignore)', async () => {
    const r = repo();
    const file = join(r.path, '.mcp.json');
    writeFileSync(file, '{"mcpServers": {', { mode: 0o644 });
    const error = await rejection(enableMcp({ dir: r.path, env: {} }));
    expect(isVaultProxyError(error, 'MCP_CONFIG_MALFORMED')).toBe(true);
    expect((error as Error).message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('{"mcpServers": {');
    expect(mode(file)).toBe(0o644);
    expect(readdirSync(r.path).sort()).toEqual(['.git', '.mcp.json']);
  });

  it('refuses to write a file git tracks', async () => {
    const r = repo();
    const file = join(r.path, '.mcp.json');
    writeFileSync(file, '{}\n');
    r.git('add', '-f', '.mcp.json');
    const error = await rejection(enableMcp({ dir: r.path, env: {} }));
    expect(isVaultProxyError(error, 'MCP_CONFIG_TRACKED')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
  });

  it('refuses a literal secret and writes nothing', async () => {
    const r = repo();
    const secret = 'f'.repeat(64);
    const error = await rejection(enableMcp({ dir: r.path, clientSecretRef: secret, env: {} }));
    expect(isVaultProxyError(error, 'MCP_CONFIG_REFUSED')).toBe(true);
    expect((error as Error).message).not.toContain(secret);
    expect(readdirSync(r.path)).toEqual(['.git']);
  });

  it('works outside a git repository and says no .gitignore was handled', async () => {
    const d = repo(false);
    const result = await enableMcp({ cwd: d.path, env: {} });
    expect(result.gitignore).toBe('no-git-repo');
    expect(result.file).toBe(join(d.path, '.mcp.json'));
    expect(readdirSync(d.path)).toEqual(['.mcp.json']);
  });

  it('writes Cursor and VS Code configs in their own place and shape', async () => {
    const r = repo();
    const cursor = await enableMcp({ dir: r.path, client: 'cursor', port: 2100, env: {} });
    const vscode = await enableMcp({ dir: r.path, client: 'vscode', port: 2100, env: {} });
    expect(cursor.file).toBe(join(r.path, '.cursor', 'mcp.json'));
    expect(vscode.file).toBe(join(r.path, '.vscode', 'mcp.json'));
    expect(read(cursor.file)).toEqual({ mcpServers: { infisical: buildMcpServerEntry({ client: 'cursor', port: 2100 }) } });
    const vs = read(vscode.file);
    expect(vs).toEqual({ servers: { infisical: buildMcpServerEntry({ client: 'vscode', port: 2100 }) } });
    expect(vs.servers.infisical.type).toBe('stdio');
    expect(vs.servers.infisical.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET).toBe(envRef('INFISICAL_MCP_CLIENT_SECRET'));
    expect(readFileSync(join(r.path, '.gitignore'), 'utf8')).toBe('/.cursor/mcp.json\n/.vscode/mcp.json\n');
  });

  it('names VAULT_PROXY_PORT (not its value) when it is not a port', async () => {
    const r = repo();
    const error = await rejection(enableMcp({ dir: r.path, env: { VAULT_PROXY_PORT: 'abc' } }));
    expect(isVaultProxyError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('VAULT_PROXY_PORT');
    expect((error as Error).message).not.toContain('abc');
    const missing = await rejection(enableMcp({ dir: join(r.path, 'nope'), env: {} }));
    expect(isVaultProxyError(missing, 'CONFIG_INVALID')).toBe(true);
    expect((missing as VaultProxyError).details).toMatchObject({ field: 'dir', source: 'option' });
    expect((missing as Error).message).toContain(join(r.path, 'nope'));
  });

  it('takes a relative dir from the directory the command was typed in (INIT_CWD under pnpm), not the script folder', async () => {
    const r = repo();
    mkdirSync(join(r.path, 'services', 'api'), { recursive: true });
    // pnpm runs the script in its package folder and says where it was typed.
    const pnpmScript = { INIT_CWD: join(r.path, 'services'), npm_package_json: join(process.cwd(), 'package.json') };
    const result = await enableMcp({ dir: 'api', env: pnpmScript });
    expect(result.file).toBe(join(r.path, 'services', 'api', '.mcp.json'));
  });
});
