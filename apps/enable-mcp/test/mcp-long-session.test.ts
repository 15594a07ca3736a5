import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createProxy, type ProxyHandle } from '@raxx/vault-proxy';
import { type FakeVault, startFakeVault } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { expandClaudeReferences, resolveNpxToLocalBin, type StdioEntry } from './support/claude-launch.js';

// An agent's working day, compressed: the MCP identity's tokens live 2 s
// (max TTL 4 s) instead of an hour, and the real @infisical/mcp, which logs in
// once and never again, keeps reading for twelve seconds through the proxy.
// Without the proxy's token renewal every call after the second would get
// 403 TokenError (see docs/architecture.md §Token renewal).

process.env.GIT_CONFIG_GLOBAL = '/dev/null';
process.env.GIT_CONFIG_NOSYSTEM = '1';

const LOGIN = '/api/v1/auth/universal-auth/login';
let vault: FakeVault;
let proxy: ProxyHandle;
let base: string;
let repo: string;
let client: Client;
const proxyLogs: string[] = [];
let serverStderr = '';

async function adminPatchTtl(identityId: string, accessTokenTTL: number, accessTokenMaxTTL: number): Promise<void> {
  const login = await fetch(`${base}${LOGIN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: vault.env.INFISICAL_CLIENT_ID, clientSecret: vault.env.INFISICAL_CLIENT_SECRET }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${base}/api/v1/auth/universal-auth/identities/${identityId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ accessTokenTTL, accessTokenMaxTTL }),
  });
  expect(res.status).toBe(200);
}

function toolJson(result: unknown): unknown {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  const text = content.find((c) => c.type === 'text')?.text ?? '';
  return JSON.parse(text.slice(text.search(/[[{]/)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  vault = await startFakeVault({ port: 0 });
  proxy = createProxy({ host: '127.0.0.1', port: 0, logLevel: 'debug', logSink: (l) => proxyLogs.push(l) }, vault.env);
  const { port, url } = await proxy.listen();
  base = url;
  await adminPatchTtl(vault.model.seed.mcp.identityId, 2, 4);

  repo = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-long-')));
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: repo });
  const code = await runCli(['enable', '--json'], {
    out: () => {},
    err: () => {},
    env: { INIT_CWD: repo, VAULT_PROXY_PORT: String(port) },
  });
  expect(code).toBe(0);
  const entry = (JSON.parse(readFileSync(join(repo, '.mcp.json'), 'utf8')) as { mcpServers: Record<string, StdioEntry> }).mcpServers
    .infisical as StdioEntry;
  const clientEnv = {
    INFISICAL_MCP_CLIENT_ID: vault.env.INFISICAL_MCP_CLIENT_ID,
    INFISICAL_MCP_CLIENT_SECRET: vault.env.INFISICAL_MCP_CLIENT_SECRET,
  };
  const serverEnv = Object.fromEntries(Object.entries(entry.env ?? {}).map(([k, v]) => [k, expandClaudeReferences(v, clientEnv)]));
  const transport = new StdioClientTransport({
    ...resolveNpxToLocalBin(entry),
    env: { ...getDefaultEnvironment(), ...serverEnv },
    cwd: repo,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    serverStderr += chunk.toString('utf8');
  });
  client = new Client({ name: 'raxx-mcp-long-session', version: '1.0.0' });
  await client.connect(transport);
}, 30_000);

afterAll(async () => {
  await client?.close();
  await proxy?.close();
  await vault?.close();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('a long agent session through the proxy: tokens outlive their TTL', () => {
  it('get-secret at 0, 3, 6 and 12 s and list-secrets at 12 s all succeed with one login by the MCP server', async () => {
    const { projectId, probe, mcp } = vault.model.seed;
    const expected = vault.model.getSecretValue({ environment: 'prod', secretPath: probe.path, secretKey: probe.key })?.value;
    const started = Date.now();
    for (const at of [0, 3000, 6000, 12_000]) {
      await sleep(Math.max(0, started + at - Date.now()));
      const result = await client.callTool({
        name: 'get-secret',
        arguments: { secretName: probe.key, projectId, environmentSlug: 'prod', secretPath: probe.path },
      });
      expect(result.isError, `get-secret at ${at} ms`).toBeFalsy();
      expect((toolJson(result) as { secretValue: string }).secretValue).toBe(expected);
    }
    const list = await client.callTool({ name: 'list-secrets', arguments: { projectId, environmentSlug: 'prod', secretPath: probe.path } });
    expect(list.isError, 'list-secrets at 12 s').toBeFalsy();
    expect((toolJson(list) as { secrets: Array<{ secretKey: string }> }).secrets.map((s) => s.secretKey)).toContain(probe.key);

    // The MCP server logged in once; every later login was the proxy's, for the same identity, with no refusal in between
    // reaching the agent. (The admin's login for the PATCH came first.)
    const mcpLogins = vault.requests.filter((r) => r.path === LOGIN).slice(1);
    expect(mcpLogins.length).toBeGreaterThanOrEqual(4); // its own, then one per call after the token's lifetime
    const health = (await (await fetch(`${base}/__vault-proxy/health`)).json()) as {
      tokenRenewal: { renewals: number; identities: number };
    };
    expect(health.tokenRenewal.renewals).toBe(mcpLogins.length - 1);
    expect(health.tokenRenewal.identities).toBe(2); // the admin (for the PATCH) and the MCP identity
    expect(proxyLogs.filter((l) => l.includes('token-renewed')).length).toBeGreaterThanOrEqual(3);
    expect(vault.model.listClientSecrets(mcp.identityId).length).toBe(1);

    // Canaries: the MCP identity's secret, the CF token and every JWT stay out of the proxy's debug log and the server's stderr.
    for (const text of [...proxyLogs, serverStderr]) {
      expect(text).not.toContain(mcp.clientSecret);
      expect(text).not.toContain(vault.env.CF_ACCESS_CLIENT_SECRET);
      expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    }
  }, 30_000);
});
