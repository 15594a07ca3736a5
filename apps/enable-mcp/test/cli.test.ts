import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import type { CliIo } from '../src/output.js';

process.env.GIT_CONFIG_GLOBAL = '/dev/null';
process.env.GIT_CONFIG_NOSYSTEM = '1';

const CANARY = 'canary-mcp-secret-1f2e3d4c5b6a79880';
let repo: string;

beforeEach(() => {
  repo = realpathSync(mkdtempSync(join(tmpdir(), 'enable-mcp-cli-')));
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: repo });
  mkdirSync(join(repo, 'apps', 'web'), { recursive: true });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: { INIT_CWD: join(repo, 'apps', 'web'), ...env } };
  const code = await runCli(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('enable-vault-mcp', () => {
  it('enable writes .mcp.json at the repository root of INIT_CWD and says what it did', async () => {
    const r = await cli(['enable', '--port', '2333'], { INFISICAL_MCP_CLIENT_ID: 'id', INFISICAL_MCP_CLIENT_SECRET: CANARY });
    expect(r.code).toBe(0);
    const file = join(repo, '.mcp.json');
    expect(r.stdout).toContain(`Wrote: ${file} (Claude Code)`);
    expect(r.stdout).toContain('added /.mcp.json to .gitignore');
    expect(r.stdout).toContain('✔ INFISICAL_MCP_CLIENT_SECRET is set');
    expect(r.stdout).not.toContain(CANARY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const config = JSON.parse(readFileSync(file, 'utf8'));
    expect(config.mcpServers.infisical.env.INFISICAL_HOST_URL).toBe('http://127.0.0.1:2333');
    expect(readFileSync(file, 'utf8')).not.toContain(CANARY);
  });

  it('enable --json, --client vscode, --tools and --package map onto the library', async () => {
    const r = await cli(['enable', '--json', '--client', 'vscode', '--tools', 'get-secret', '--package', '@infisical/mcp@0.0.23'], {
      VAULT_PROXY_PORT: '2400',
    });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ ok: true, client: 'vscode', action: 'created', file: join(repo, '.vscode', 'mcp.json') });
    expect(result.entry.env).toMatchObject({ INFISICAL_HOST_URL: 'http://127.0.0.1:2400', INFISICAL_ENABLED_TOOLS: 'get-secret' });
    expect(result.entry.args).toEqual(['-y', '@infisical/mcp@0.0.23']);
  });

  it('refuses a literal secret with exit 2 (refused input) and without echoing it; write tools need --allow-write-tools', async () => {
    const literal = 'c'.repeat(64);
    const r = await cli(['enable', '--client-secret-ref', literal]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looks like a literal secret');
    expect(r.stderr + r.stdout).not.toContain(literal);
    const w = await cli(['enable', '--json', '--tools', 'get-secret,delete-secret']);
    expect(w.code).toBe(2);
    expect(JSON.parse(w.stdout).error.code).toBe('MCP_CONFIG_REFUSED');
    expect((await cli(['enable', '--tools', 'get-secret,delete-secret', '--allow-write-tools'])).code).toBe(0);
  });

  it('reports a malformed file by path, exit 1, untouched', async () => {
    writeFileSync(join(repo, '.mcp.json'), '{oops');
    const r = await cli(['enable']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(repo, '.mcp.json'));
    expect(readFileSync(join(repo, '.mcp.json'), 'utf8')).toBe('{oops');
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['enable', '--client', 'emacs'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
    expect((await cli(['enable', '--port', 'x'], {})).code).toBe(2);
  });

  it('check exits 1 with names only when not ready; disable removes the entry', async () => {
    await cli(['enable']);
    const check = await cli(['check', '--json', '--port', '1'], { INFISICAL_MCP_CLIENT_SECRET: CANARY });
    expect(check.code).toBe(1);
    const result = JSON.parse(check.stdout);
    expect(result).toMatchObject({ ok: false, entry: 'outdated', proxy: { answers: false } });
    expect(result.variables).toContainEqual({ name: 'INFISICAL_MCP_CLIENT_SECRET', set: true });
    expect(check.stdout).not.toContain(CANARY);
    const pretty = await cli(['check']);
    expect(pretty.stdout).toContain('✔ MCP config: entry present and current');
    expect(pretty.stdout).toContain('✖ INFISICAL_MCP_CLIENT_ID: is not set');

    const off = await cli(['disable']);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('removed');
    expect(() => readFileSync(join(repo, '.mcp.json'))).toThrow();
  });

  it('names the flag the operator typed, never the library option, and suggests the reference of the credential at fault', async () => {
    const id = await cli(['enable', '--client-id-ref', 'not-a-reference']);
    expect(id.code).toBe(2);
    expect(id.stderr).toContain('enable-vault-mcp: error: --client-id-ref is not an environment reference');
    expect(id.stderr).toContain(`fix: Write a reference such as \${INFISICAL_MCP_CLIENT_ID};`);
    expect(id.stderr).not.toContain('clientIdRef');
    const secret = await cli(['enable', '--client-secret-ref', 'x']);
    expect(secret.stderr).toContain('--client-secret-ref is not an environment reference');
    expect(secret.stderr).toContain(`\${INFISICAL_MCP_CLIENT_SECRET}`);
    const write = await cli(['enable', '--tools', 'get-secret,delete-secret']);
    expect(write.stderr).toContain(
      'enable-vault-mcp: error: --allow-write-tools must be set to enable tools that change the vault (delete-secret).',
    );
    expect(write.stderr).not.toContain('allowWriteTools');
    expect((await cli(['enable', '--package', 'evil; rm -rf /'])).stderr).toContain(
      'enable-vault-mcp: error: --package is not an npm package spec.',
    );
    const tools = await cli(['enable', '--tools', 'get-secrets']);
    expect(tools.stderr).toContain('--tools names unknown tools (get-secrets).');
    const dir = await cli(['enable', '--dir', 'nope']);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain(`--dir is not an existing directory (${join(repo, 'apps', 'web', 'nope')}).`);
  });

  it('a relative --dir is taken from where the command was typed (INIT_CWD), and every path printed is absolute', async () => {
    const r = await cli(['enable', '--dir', '.']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote: ${join(repo, 'apps', 'web', '.mcp.json')}`);
  });

  it('check names the line and column of a syntax error; disable removes the client folder it leaves empty', async () => {
    mkdirSync(join(repo, '.vscode'));
    writeFileSync(join(repo, '.vscode', 'mcp.json'), '{\n  // ok in VS Code\n  "servers": {},\n  oops\n}\n');
    const check = await cli(['check', '--client', 'vscode']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      `✖ MCP config: The MCP config ${join(repo, '.vscode', 'mcp.json')} is not valid JSON with comments: invalid symbol at line 4, column 3.`,
    );
    writeFileSync(join(repo, '.vscode', 'mcp.json'), '{\n  // kept\n  "servers": {},\n}\n');
    expect((await cli(['enable', '--client', 'vscode'])).code).toBe(0);
    expect(readFileSync(join(repo, '.vscode', 'mcp.json'), 'utf8')).toContain('// kept');
    writeFileSync(join(repo, '.vscode', 'mcp.json'), '{}');
    expect((await cli(['enable', '--client', 'vscode'])).code).toBe(0);
    const off = await cli(['disable', '--client', 'vscode']);
    expect(off.stdout).toBe(
      `removed ${join(repo, '.vscode', 'mcp.json')} (the Infisical entry was all it held) and the empty ${join(repo, '.vscode')}`,
    );
  });
});
