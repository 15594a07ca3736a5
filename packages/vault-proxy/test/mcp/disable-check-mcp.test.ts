import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FakeVault, freePort, proxyFleet, startFakeVault } from '@raxx/vault-testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isVaultProxyError } from '../../src/errors.js';
import { buildMcpServerEntry, checkMcp, disableMcp, enableMcp } from '../../src/mcp/index.js';
import { createProxy } from '../../src/proxy/create-proxy.js';
import { type TempDir, tempDir } from './temp-repo.js';

const dirs: TempDir[] = [];
function repo(): TempDir {
  const d = tempDir(true);
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const other = { command: 'gh-mcp', args: [] };

describe('disableMcp', () => {
  it('removes only our entry and keeps the file when other servers remain', async () => {
    const r = repo();
    const file = join(r.path, '.mcp.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { github: other } }));
    await enableMcp({ dir: r.path, env: {} });
    const result = await disableMcp({ dir: r.path, env: {} });
    expect(result).toMatchObject({ action: 'removed-entry', otherServers: ['github'], file });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ mcpServers: { github: other } });
  });

  it('deletes the file when nothing else is left, and the client folder enable created, then has nothing to do', async () => {
    const r = repo();
    await enableMcp({ dir: r.path, client: 'vscode', env: {} });
    const removed = await disableMcp({ dir: r.path, client: 'vscode', env: {} });
    expect(removed).toMatchObject({ action: 'removed-file', removedDir: join(r.path, '.vscode') });
    expect(existsSync(join(r.path, '.vscode'))).toBe(false);
    expect((await disableMcp({ dir: r.path, client: 'vscode', env: {} })).action).toBe('no-file');
  });

  it('keeps a client folder that holds anything else', async () => {
    const r = repo();
    mkdirSync(join(r.path, '.cursor'));
    writeFileSync(join(r.path, '.cursor', 'rules.md'), '# keep me\n');
    await enableMcp({ dir: r.path, client: 'cursor', env: {} });
    const removed = await disableMcp({ dir: r.path, client: 'cursor', env: {} });
    expect(removed.action).toBe('removed-file');
    expect(removed.removedDir).toBeUndefined();
    expect(readFileSync(join(r.path, '.cursor', 'rules.md'), 'utf8')).toBe('# keep me\n');
  });

  it('never removes the repository itself for Claude Code, whose file sits at the root', async () => {
    const r = repo();
    await enableMcp({ dir: r.path, env: {} });
    const removed = await disableMcp({ dir: r.path, env: {} });
    expect(removed).toMatchObject({ action: 'removed-file' });
    expect(removed.removedDir).toBeUndefined();
    expect(existsSync(r.path)).toBe(true);
  });

  it('leaves a file without our entry alone, and a malformed one untouched', async () => {
    const r = repo();
    const file = join(r.path, '.mcp.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { github: other } }));
    expect((await disableMcp({ dir: r.path, env: {} })).action).toBe('no-entry');
    writeFileSync(file, '{broken');
    await expect(disableMcp({ dir: r.path, env: {} })).rejects.toSatisfy((e) => isVaultProxyError(e, 'MCP_CONFIG_MALFORMED'));
    expect(readFileSync(file, 'utf8')).toBe('{broken');
  });
});

describe('checkMcp', () => {
  let vault: FakeVault;
  const fleet = proxyFleet(createProxy, () => vault.env);
  let proxyPort: number;
  let refusedPort: number;
  let unreachablePort: number;
  let deadPort: number;
  const CANARY = 'canary-mcp-secret-5e1d0c9b8a7f6e5d4c3b';
  const CF_CANARY = 'canary-cf-secret-0a9b8c7d6e5f';

  // Silent proxies in front of the fake vault (its env holds the right Cloudflare token), with overrides.
  const proxyWith = fleet.start;

  beforeAll(async () => {
    vault = await startFakeVault({ port: 0 });
    proxyPort = await proxyWith({});
    refusedPort = await proxyWith({ cfAccessClientSecret: CF_CANARY });
    deadPort = await freePort();
    unreachablePort = await proxyWith({ connectTo: `127.0.0.1:${deadPort}` });
  });
  afterAll(async () => {
    await fleet.closeAll();
    await vault.close();
  });

  // The agent's shell: the MCP identity only. The Cloudflare token is the proxy's business, not the agent's.
  const env = (port: number) => ({
    VAULT_PROXY_PORT: String(port),
    INFISICAL_MCP_CLIENT_ID: 'client-id',
    INFISICAL_MCP_CLIENT_SECRET: CANARY,
  });

  it('is ok when the entry is current, the MCP variables are set and the vault answers through the proxy — without CF_ACCESS_* in its own environment', async () => {
    const r = repo();
    await enableMcp({ dir: r.path, env: env(proxyPort) });
    const result = await checkMcp({ dir: r.path, env: env(proxyPort) });
    expect(result).toMatchObject({
      ok: true,
      entry: 'current',
      differences: [],
      proxy: { url: `http://127.0.0.1:${proxyPort}`, answers: true, vault: { state: 'reachable', ok: true } },
    });
    expect(result.variables).toEqual([
      { name: 'INFISICAL_MCP_CLIENT_ID', set: true },
      { name: 'INFISICAL_MCP_CLIENT_SECRET', set: true },
    ]);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it('reports failure mode B when Cloudflare refuses the proxy’s token, and names the fix — never the token', async () => {
    const r = repo();
    await enableMcp({ dir: r.path, env: env(refusedPort) });
    const result = await checkMcp({ dir: r.path, env: env(refusedPort) });
    expect(result.ok).toBe(false);
    expect(result.entry).toBe('current');
    expect(result.proxy).toMatchObject({ answers: true, vault: { state: 'cloudflare-refused', failureMode: 'B', httpStatus: 403 } });
    expect(result.proxy.vault?.fix).toContain('CF_ACCESS_CLIENT_SECRET');
    const json = JSON.stringify(result);
    for (const secret of [CANARY, CF_CANARY, vault.env.CF_ACCESS_CLIENT_SECRET]) expect(json).not.toContain(secret);
  });

  it('reports a vault the proxy cannot reach (502)', async () => {
    const r = repo();
    await enableMcp({ dir: r.path, env: env(unreachablePort) });
    const result = await checkMcp({ dir: r.path, env: env(unreachablePort) });
    expect(result.ok).toBe(false);
    expect(result.proxy.vault).toMatchObject({ state: 'vault-unreachable', httpStatus: 502 });
  });

  it('reports an outdated entry, unset variables and a proxy that does not answer', async () => {
    const r = repo();
    await enableMcp({ dir: r.path, env: env(proxyPort) });
    const result = await checkMcp({ dir: r.path, env: { VAULT_PROXY_PORT: String(deadPort), INFISICAL_MCP_CLIENT_ID: 'x' } });
    expect(result.ok).toBe(false);
    expect(result.entry).toBe('outdated');
    expect(result.differences).toEqual(['env.INFISICAL_HOST_URL']);
    expect(result.proxy.answers).toBe(false);
    expect(result.proxy.vault).toBeUndefined();
    expect(result.variables.filter((v) => !v.set).map((v) => v.name)).toEqual(['INFISICAL_MCP_CLIENT_SECRET']);
  });

  it('reports a missing file, a missing entry and a malformed file without throwing', async () => {
    const r = repo();
    expect((await checkMcp({ dir: r.path, env: env(deadPort) })).entry).toBe('missing-file');
    writeFileSync(join(r.path, '.mcp.json'), JSON.stringify({ mcpServers: { github: other } }));
    expect((await checkMcp({ dir: r.path, env: env(deadPort) })).entry).toBe('missing-entry');
    writeFileSync(join(r.path, '.mcp.json'), '{\n  "mcpServers": {\n    "a": {}\n    "b": {}\n  }\n}\n');
    const malformed = await checkMcp({ dir: r.path, env: env(deadPort) });
    expect(malformed.entry).toBe('malformed');
    expect(malformed.problem).toContain(`${join(r.path, '.mcp.json')} is not valid JSON`);
    expect(malformed.problem).toContain('comma expected at line 4, column 5');
  });

  it('treats a hand-edited literal credential as outdated', async () => {
    const r = repo();
    const entry = { ...buildMcpServerEntry({ port: proxyPort }), env: { ...buildMcpServerEntry({ port: proxyPort }).env } };
    entry.env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET = CANARY;
    writeFileSync(join(r.path, '.mcp.json'), JSON.stringify({ mcpServers: { infisical: entry } }));
    const result = await checkMcp({ dir: r.path, env: env(proxyPort) });
    expect(result.entry).toBe('outdated');
    expect(result.differences).toEqual(['env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET']);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });
});
