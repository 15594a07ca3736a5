import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultProxyError, type VaultProxyError } from '../../src/errors.js';
import { buildMcpServerEntry, disableMcp, enableMcp, parseMcpConfig, readMcpEntry } from '../../src/mcp/index.js';
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

function malformed(text: string, client: 'claude' | 'cursor' | 'vscode', file: string): VaultProxyError {
  try {
    parseMcpConfig(text, client, file);
  } catch (error) {
    if (isVaultProxyError(error, 'MCP_CONFIG_MALFORMED')) return error;
    throw error;
  }
  throw new Error('expected MCP_CONFIG_MALFORMED');
}

// What VS Code writes and accepts in .vscode/mcp.json: comments and trailing commas.
const VSCODE_FILE = `{
  // Servers of this workspace (see https://code.visualstudio.com/docs/copilot/chat/mcp-servers)
  "servers": {
    "github": {
      "type": "http",
      "url": "https://api.githubcopilot.com/mcp/", // hosted
    },
  },
  /* prompted once per session */
  "inputs": [],
}
`;

describe('JSONC client configs (Cursor, VS Code)', () => {
  it('enable adds our server to a .vscode/mcp.json with comments and trailing commas, keeping them all', async () => {
    const r = repo();
    await mkdir(join(r.path, '.vscode'));
    const file = join(r.path, '.vscode', 'mcp.json');
    writeFileSync(file, VSCODE_FILE);
    const result = await enableMcp({ dir: r.path, client: 'vscode', port: 2020, env: {} });
    expect(result).toMatchObject({ action: 'updated', otherServers: ['github'] });
    const text = readFileSync(file, 'utf8');
    for (const kept of ['// Servers of this workspace', '// hosted', '/* prompted once per session */', '"inputs": [],']) {
      expect(text).toContain(kept);
    }
    const parsed = parseMcpConfig(text, 'vscode') as { servers: Record<string, unknown>; inputs: unknown[] };
    expect(parsed.servers.github).toEqual({ type: 'http', url: 'https://api.githubcopilot.com/mcp/' });
    expect(parsed.servers.infisical).toEqual(buildMcpServerEntry({ client: 'vscode', port: 2020 }));
    expect(parsed.inputs).toEqual([]);

    // Current already: nothing is rewritten.
    expect((await enableMcp({ dir: r.path, client: 'vscode', port: 2020, env: {} })).action).toBe('unchanged');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('enable updates an outdated entry of a commented .cursor/mcp.json in place', async () => {
    const r = repo();
    await mkdir(join(r.path, '.cursor'));
    const file = join(r.path, '.cursor', 'mcp.json');
    writeFileSync(file, '{\n  // ours, from an older port\n  "mcpServers": {\n    "infisical": { "command": "npx", },\n  },\n}\n');
    expect((await enableMcp({ dir: r.path, client: 'cursor', port: 2021, env: {} })).action).toBe('updated');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('// ours, from an older port');
    expect((parseMcpConfig(text, 'cursor') as { mcpServers: Record<string, unknown> }).mcpServers).toEqual({
      infisical: buildMcpServerEntry({ client: 'cursor', port: 2021 }),
    });
  });

  it('disable removes only our server and keeps the comments and trailing commas of the rest', async () => {
    const r = repo();
    await mkdir(join(r.path, '.vscode'));
    const file = join(r.path, '.vscode', 'mcp.json');
    writeFileSync(file, VSCODE_FILE);
    await enableMcp({ dir: r.path, client: 'vscode', env: {} });
    expect((await disableMcp({ dir: r.path, client: 'vscode', env: {} })).action).toBe('removed-entry');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('// hosted');
    expect(text).toContain('/* prompted once per session */');
    expect(text).not.toContain('infisical');
    expect(parseMcpConfig(text, 'vscode')).toEqual({
      servers: { github: { type: 'http', url: 'https://api.githubcopilot.com/mcp/' } },
      inputs: [],
    });
  });

  it('disable keeps a file whose only other content is a comment', async () => {
    const r = repo();
    await mkdir(join(r.path, '.cursor'));
    const file = join(r.path, '.cursor', 'mcp.json');
    writeFileSync(file, '{\n  // add the team servers here\n}\n');
    await enableMcp({ dir: r.path, client: 'cursor', env: {} });
    expect((await disableMcp({ dir: r.path, client: 'cursor', env: {} })).action).toBe('removed-entry');
    expect(readFileSync(file, 'utf8')).toContain('// add the team servers here');
  });

  it('names the line and column of a syntax error, and changes nothing', async () => {
    const r = repo();
    await mkdir(join(r.path, '.vscode'));
    const file = join(r.path, '.vscode', 'mcp.json');
    const broken = '{\n  "servers": {\n    "github": { "url": "x" }\n    "other": {}\n  }\n}\n';
    writeFileSync(file, broken);
    const error = (await enableMcp({ dir: r.path, client: 'vscode', env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    )) as VaultProxyError;
    expect(isVaultProxyError(error, 'MCP_CONFIG_MALFORMED')).toBe(true);
    expect(error.message).toContain(`${file} is not valid JSON with comments: comma expected at line 4, column 5`);
    expect(error.details).toMatchObject({ file, line: 4, column: 5 });
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(await readMcpEntry({ dir: r.path, client: 'vscode', env: {} })).toMatchObject({
      state: 'malformed',
      problem: expect.stringContaining('line 4, column 5'),
    });
  });
});

describe("Claude Code's .mcp.json stays strict JSON", () => {
  it('reports a comment or a trailing comma as malformed, with line and column', () => {
    const comment = malformed('{\n  // no\n  "mcpServers": {}\n}', 'claude', '/repo/.mcp.json');
    expect(comment.message).toContain('/repo/.mcp.json is not valid JSON (Claude Code reads it without comments or trailing commas)');
    expect(comment.details).toMatchObject({ line: 2, column: 3 });
    const comma = malformed('{\n  "mcpServers": {},\n}', 'claude', '/repo/.mcp.json');
    expect(comma.details).toMatchObject({ line: 3, column: 1 });
  });

  it('accepts the same text in a JSONC client file', () => {
    expect(parseMcpConfig('{\n  // yes\n  "mcpServers": {},\n}', 'cursor')).toEqual({ mcpServers: {} });
  });
});
