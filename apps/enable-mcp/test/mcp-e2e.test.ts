import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createProxy, type ProxyHandle } from '@raxx/vault-proxy';
import { createVaultModel, type FakeVault, SERVER_PROFILES, type ServerProfile, startFakeVault } from '@raxx/vault-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { expandClaudeReferences, resolveNpxToLocalBin, type StdioEntry } from './support/claude-launch.js';

process.env.GIT_CONFIG_GLOBAL = '/dev/null';
process.env.GIT_CONFIG_NOSYSTEM = '1';

let vault: FakeVault;
let proxy: ProxyHandle;
let repo: string;
let entry: StdioEntry;
let client: Client;
let serverStderr = '';

/** The JSON a tool printed after its "… successfully:" prefix. */
function toolJson(result: unknown): unknown {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  const text = content.find((c) => c.type === 'text')?.text ?? '';
  const start = text.search(/[[{]/);
  return JSON.parse(text.slice(start));
}

function toolText(result: unknown): string {
  return ((result as { content?: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? '').join('\n');
}

/** Secrets holding `${…}` references, which @infisical/mcp asks the server to expand (expandSecretReferences=true). */
function plantReferences(): void {
  const put = (secretPath: string, secretKey: string, value: string) =>
    vault.model.putSecret({ environment: 'prod', secretPath, secretKey, value });
  put('/MooseQuest/refs', 'IN_SCOPE_REF', `key=\${prod.MooseQuest.app.DEMO_API_KEY}`);
  put('/MooseQuest/refs-out', 'OUT_OF_SCOPE_REF', `pager=\${prod.Ops.OPS_PAGER_TOKEN}`);
}

async function launch(server: ServerProfile): Promise<void> {
  serverStderr = '';
  vault = await startFakeVault({ port: 0, model: createVaultModel({ server }) });
  plantReferences();
  // The fake vault's env is exactly what a real session exports: upstream, connect-to, CA, CF token.
  proxy = createProxy({ host: '127.0.0.1', port: 0, logLevel: 'silent' }, vault.env);
  const { port } = await proxy.listen();

  repo = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-e2e-')));
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: repo });
  const out: string[] = [];
  const code = await runCli(['enable', '--json'], {
    out: (l) => out.push(l),
    err: (l) => out.push(l),
    env: { INIT_CWD: repo, VAULT_PROXY_PORT: String(port) },
  });
  expect(code).toBe(0);

  const config = JSON.parse(readFileSync(join(repo, '.mcp.json'), 'utf8')) as { mcpServers: Record<string, StdioEntry> };
  entry = config.mcpServers.infisical as StdioEntry;
  expect(entry.command).toBe('npx');
  expect(entry.args).toEqual(['-y', '@infisical/mcp@0.0.24']);

  // The client's environment: it holds the MCP identity; the config only references it.
  const clientEnv = {
    INFISICAL_MCP_CLIENT_ID: vault.env.INFISICAL_MCP_CLIENT_ID,
    INFISICAL_MCP_CLIENT_SECRET: vault.env.INFISICAL_MCP_CLIENT_SECRET,
  };
  const serverEnv = Object.fromEntries(Object.entries(entry.env ?? {}).map(([k, v]) => [k, expandClaudeReferences(v, clientEnv)]));
  expect(Object.values(serverEnv).some((v) => v.includes('${'))).toBe(false);
  expect(serverEnv.INFISICAL_HOST_URL).toBe(`http://127.0.0.1:${port}`);

  const command = resolveNpxToLocalBin(entry);
  const transport = new StdioClientTransport({ ...command, env: { ...getDefaultEnvironment(), ...serverEnv }, cwd: repo, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => {
    serverStderr += chunk.toString('utf8');
  });
  client = new Client({ name: 'raxx-mcp-e2e', version: '1.0.0' });
  await client.connect(transport);
}

async function shutdown(): Promise<void> {
  await client?.close();
  await proxy?.close();
  await vault?.close();
  if (repo) rmSync(repo, { recursive: true, force: true });
}

/** A tool call's outcome, whether the server reports the failure in the result or the call throws. */
async function callOutcome(name: string, args: Record<string, unknown>): Promise<{ failed: boolean; text: string; result?: unknown }> {
  return client.callTool({ name, arguments: args }).then(
    (result) => ({ failed: result.isError === true, text: toolText(result), result }),
    (error: unknown) => ({ failed: true, text: String(error) }),
  );
}

describe.each(SERVER_PROFILES)('the real @infisical/mcp server, launched as .mcp.json says, through the proxy — %s server', (server) => {
  beforeAll(() => launch(server), 30_000);
  afterAll(shutdown);

  it('lists only the enabled read tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get-secret', 'list-secrets']);
  });

  it('get-secret returns the probe secret exactly as the vault holds it', async () => {
    const { projectId, probe } = vault.model.seed;
    const result = await client.callTool({
      name: 'get-secret',
      arguments: { secretName: probe.key, projectId, environmentSlug: 'prod', secretPath: probe.path },
    });
    expect(result.isError).toBeFalsy();
    const secret = toolJson(result) as { secretKey: string; secretValue: string };
    const expected = vault.model.getSecretValue({ environment: 'prod', secretPath: probe.path, secretKey: probe.key });
    expect(expected).toBeDefined();
    expect(secret.secretKey).toBe(probe.key);
    expect(secret.secretValue).toBe(expected?.value);
  });

  it('list-secrets returns every secret of the probe path with its value', async () => {
    const { projectId, probe } = vault.model.seed;
    const result = await client.callTool({
      name: 'list-secrets',
      arguments: { projectId, environmentSlug: 'prod', secretPath: probe.path },
    });
    expect(result.isError).toBeFalsy();
    const { secrets } = toolJson(result) as { secrets: Array<{ secretKey: string; secretValue: string }> };
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    expect(secrets.map((s) => s.secretKey)).toContain(probe.key);
    for (const s of secrets) {
      const held = vault.model.getSecretValue({ environment: 'prod', secretPath: probe.path, secretKey: s.secretKey });
      expect(s.secretValue).toBe(held?.value);
    }
  });

  it('an out-of-scope get-secret fails and reveals nothing', async () => {
    const { projectId, outOfScopePath } = vault.model.seed;
    const outside = vault.model.getSecretValue({ environment: 'prod', secretPath: outOfScopePath, secretKey: 'OPS_PAGER_TOKEN' });
    expect(outside).toBeDefined();
    const outcome = await client
      .callTool({
        name: 'get-secret',
        arguments: { secretName: 'OPS_PAGER_TOKEN', projectId, environmentSlug: 'prod', secretPath: outOfScopePath },
      })
      .then(
        (result) => ({ failed: result.isError === true, text: toolText(result) }),
        (error: unknown) => ({ failed: true, text: String(error) }),
      );
    expect(outcome.failed).toBe(true);
    expect(outcome.text).toMatch(/403|permission/i);
    expect(outcome.text).not.toContain(outside?.value);
    const denied = vault.requests.filter((r) => r.path.startsWith(`/api/v3/secrets/raw/OPS_PAGER_TOKEN`));
    expect(denied.length).toBeGreaterThan(0);
  });

  it('an out-of-scope list-secrets is filtered to nothing (200), not refused', async () => {
    const { projectId, outOfScopePath } = vault.model.seed;
    const outcome = await callOutcome('list-secrets', { projectId, environmentSlug: 'prod', secretPath: outOfScopePath });
    expect(outcome.failed).toBe(false);
    expect((toolJson(outcome.result) as { secrets: unknown[] }).secrets).toEqual([]);
    const pager = vault.model.getSecretValue({ environment: 'prod', secretPath: outOfScopePath, secretKey: 'OPS_PAGER_TOKEN' });
    expect(outcome.text).not.toContain(pager?.value);
  });

  it('a secret referencing another in scope is expanded: get-secret returns the referenced value', async () => {
    const { projectId } = vault.model.seed;
    const outcome = await callOutcome('get-secret', {
      secretName: 'IN_SCOPE_REF',
      projectId,
      environmentSlug: 'prod',
      secretPath: '/MooseQuest/refs',
    });
    expect(outcome.failed).toBe(false);
    const demo = vault.model.getSecretValue({ environment: 'prod', secretPath: '/MooseQuest/app', secretKey: 'DEMO_API_KEY' });
    expect((toolJson(outcome.result) as { secretValue: string }).secretValue).toBe(`key=${demo?.value}`);
  });

  it('a secret referencing one out of scope turns an in-scope get-secret and list-secrets into 403, and reveals nothing', async () => {
    const { projectId } = vault.model.seed;
    const where = { projectId, environmentSlug: 'prod', secretPath: '/MooseQuest/refs-out' };
    const pager = vault.model.getSecretValue({ environment: 'prod', secretPath: '/Ops', secretKey: 'OPS_PAGER_TOKEN' });
    const get = await callOutcome('get-secret', { ...where, secretName: 'OUT_OF_SCOPE_REF' });
    expect(get.failed).toBe(true);
    expect(get.text).toMatch(/403|permission/i);
    const list = await callOutcome('list-secrets', where);
    expect(list.failed).toBe(true);
    expect(list.text).toMatch(/403|permission|expand/i);
    for (const text of [get.text, list.text]) expect(text).not.toContain(pager?.value);
    expect(vault.requests.some((r) => r.path.includes('expandSecretReferences=true'))).toBe(true);
  });

  it('a write tool that is not enabled is refused by the server', async () => {
    const outcome = await client
      .callTool({ name: 'delete-secret', arguments: { secretName: 'X', projectId: 'p', environmentSlug: 'prod' } })
      .then(
        (result) => result.isError === true,
        () => true,
      );
    expect(outcome).toBe(true);
    expect(vault.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('every request reached the vault with the proxy’s Cloudflare headers and User-Agent, none with axios’s', () => {
    const seen = vault.requests.filter((r) => r.path.startsWith('/api/'));
    expect(seen.some((r) => r.method === 'POST' && r.path === '/api/v1/auth/universal-auth/login')).toBe(true);
    expect(seen.some((r) => r.path.startsWith('/api/v3/secrets/raw?'))).toBe(true);
    for (const r of seen) {
      expect(r.headers['user-agent']).toBe('raxx-vault-proxy/1.0');
      expect(r.headers['cf-access-client-id']).toBe(vault.env.CF_ACCESS_CLIENT_ID);
      expect(r.headers['cf-access-client-secret']).toBe(vault.env.CF_ACCESS_CLIENT_SECRET);
      expect(r.headers.host).toBe('vault.raxx.app');
    }
    expect(seen.some((r) => /axios\//.test(r.headers['user-agent'] ?? ''))).toBe(false);
    expect(serverStderr).toContain('Infisical MCP Server running on stdio');
  });
});
