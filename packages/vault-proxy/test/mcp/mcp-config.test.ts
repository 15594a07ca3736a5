import { describe, expect, it } from 'vitest';
import { VaultProxyError } from '../../src/errors.js';
import { buildMcpServerEntry, diffMcpEntry, getMcpEntry, mergeMcpConfig, parseMcpConfig, removeMcpEntry } from '../../src/mcp/index.js';
import { ref } from './env-ref.js';

const entry = buildMcpServerEntry();
const other = { command: 'node', args: ['server.js'], env: { TOKEN: ref('GITHUB_TOKEN') } };

describe('mergeMcpConfig', () => {
  it('adds our entry and keeps other servers and top-level keys in place', () => {
    const existing = { $schema: 'x', mcpServers: { github: other }, extra: { keep: true } };
    const merged = mergeMcpConfig(existing, entry);
    expect(merged).toEqual({ $schema: 'x', mcpServers: { github: other, infisical: entry }, extra: { keep: true } });
    expect(Object.keys(merged)).toEqual(['$schema', 'mcpServers', 'extra']);
    expect(existing.mcpServers).toEqual({ github: other });
  });

  it('replaces a previous infisical entry instead of duplicating it', () => {
    const old = { command: 'npx', args: ['-y', '@infisical/mcp@0.0.1'], env: {} };
    const merged = mergeMcpConfig({ mcpServers: { infisical: old, github: other } }, entry);
    expect(merged.mcpServers).toEqual({ infisical: entry, github: other });
  });

  it('starts from nothing, and uses the `servers` key for VS Code', () => {
    expect(mergeMcpConfig(undefined, entry)).toEqual({ mcpServers: { infisical: entry } });
    const vs = buildMcpServerEntry({ client: 'vscode' });
    expect(mergeMcpConfig({ inputs: [] }, vs, 'vscode')).toEqual({ inputs: [], servers: { infisical: vs } });
  });
});

describe('removeMcpEntry', () => {
  it('removes only ours and says whether anything is left', () => {
    const both = removeMcpEntry({ mcpServers: { infisical: entry, github: other } });
    expect(both).toEqual({ config: { mcpServers: { github: other } }, removed: true, empty: false });
    const alone = removeMcpEntry({ mcpServers: { infisical: entry } });
    expect(alone.removed).toBe(true);
    expect(alone.empty).toBe(true);
    const withKeys = removeMcpEntry({ mcpServers: { infisical: entry }, inputs: [] });
    expect(withKeys.empty).toBe(false);
    expect(removeMcpEntry({ mcpServers: { github: other } }).removed).toBe(false);
    expect(removeMcpEntry({ servers: { infisical: entry } }, 'vscode').empty).toBe(true);
  });
});

describe('parseMcpConfig', () => {
  it('reads objects, treats an empty file as {}, and names the file when malformed', () => {
    expect(parseMcpConfig('{"mcpServers":{}}')).toEqual({ mcpServers: {} });
    expect(parseMcpConfig('  \n')).toEqual({});
    for (const text of ['{ nope', '[1,2]', '"str"', '{"mcpServers": []}', '// comment\n{}']) {
      let error: unknown;
      try {
        parseMcpConfig(text, 'claude', '/repo/.mcp.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(VaultProxyError);
      expect((error as VaultProxyError).code).toBe('MCP_CONFIG_MALFORMED');
      expect((error as VaultProxyError).message).toContain('/repo/.mcp.json');
    }
  });
});

describe('diffMcpEntry', () => {
  it('names differing keys only', () => {
    const moved = buildMcpServerEntry({ port: 2020 });
    expect(diffMcpEntry(entry, entry)).toEqual([]);
    expect(diffMcpEntry(moved, entry)).toEqual(['env.INFISICAL_HOST_URL']);
    expect(diffMcpEntry({ ...entry, args: ['-y', 'x'] }, entry)).toEqual(['args']);
    expect(diffMcpEntry('nonsense', entry)).toEqual(['(entry)']);
    expect(getMcpEntry({ mcpServers: { infisical: entry } })).toEqual(entry);
  });
});
