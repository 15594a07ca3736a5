import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultProxyError } from '../../src/errors.js';
import { type SessionStep, startSession } from '../../src/mcp/index.js';
import { getProxyStatus, isVaultProxyProcess, readPidFile, startDetached } from '../../src/process/index.js';
import { ref } from './env-ref.js';
import { errorText, JWT_SHAPE, PROXY_FIXTURE, RUNBOOK_IDENTITY, type SessionWorld, sessionWorld } from './session-fixture.js';

let world: SessionWorld;
afterEach(async () => {
  await world?.close();
});

/** What a session run printed anywhere, plus what it wrote: must hold no canary and no token. */
async function expectNothingLeaked(...printed: string[]) {
  const haystack = [...printed, await world.writtenText()].join('\n');
  for (const canary of world.canaries()) expect(haystack.includes(canary), 'a credential leaked').toBe(false);
  expect(haystack).not.toMatch(JWT_SHAPE);
}

/** The error a session fails with. */
async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; details: Record<string, unknown> }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isVaultProxyError(error), 'a VaultProxyError').toBe(true);
  return error as Error & { code?: string; details: Record<string, unknown> };
}

/** Nothing of a session is left: no proxy on the port, no pid file, no config, .gitignore untouched. */
async function expectNothingStarted() {
  expect((await getProxyStatus({ port: world.port, pidFile: world.pidFile, env: world.env })).health).toBe('unreachable');
  expect(existsSync(world.pidFile)).toBe(false);
  expect(existsSync(join(world.repo.path, '.mcp.json'))).toBe(false);
  expect(existsSync(join(world.repo.path, '.gitignore'))).toBe(false);
}

describe('startSession (docs/runbook.md §Session start in one call)', () => {
  it('from a fresh git repository: starts the proxy, reads the credentials, verifies, writes the config', async () => {
    world = await sessionWorld();
    const seen: SessionStep[] = [];
    const result = await startSession(world.options({ onStep: (s) => seen.push(s) }));

    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ['access-token', 'done'],
      ['proxy', 'done'],
      ['vault-status', 'done'],
      ['credentials', 'done'],
      ['verify', 'done'],
      ['mcp-config', 'done'],
    ]);
    expect(seen).toEqual(result.steps);
    const pid = (await readPidFile(world.pidFile))?.pid as number;
    expect(result.proxy).toMatchObject({ started: true, pid, url: `http://127.0.0.1:${world.port}` });
    expect(isVaultProxyProcess(pid)).toBe(true);
    expect(result.verify).toEqual({ login: 200, probe: { key: 'DEMO_API_KEY', path: '/MooseQuest/app', status: 200 } });
    expect(result.identity).toMatchObject({
      source: 'names',
      credsPath: '/MooseQuest/identities/infisical-identity-mcp-main-loop-trademaster',
      clientIdKey: 'MCP_RO_CLIENT_ID',
      clientSecretKey: 'MCP_RO_CLIENT_SECRET',
    });
    expect(result.credentials.clientId.reveal()).toBe(world.fake.model.seed.mcp.clientId);
    expect(result.credentials.clientSecret.reveal()).toBe(world.fake.model.seed.mcp.clientSecret);

    const file = join(world.repo.path, '.mcp.json');
    expect(result.config).toMatchObject({ action: 'created', file, gitignore: 'added' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const entry = JSON.parse(readFileSync(file, 'utf8')).mcpServers.infisical;
    expect(entry.env).toMatchObject({
      INFISICAL_HOST_URL: `http://127.0.0.1:${world.port}`,
      INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: ref('INFISICAL_MCP_CLIENT_ID'),
      INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: ref('INFISICAL_MCP_CLIENT_SECRET'),
    });
    expect(result.command).toBe(
      `enable-vault-mcp session --identity-name infisical-identity-mcp-main-loop-trademaster --agent-name mcp-ro --port ${world.port}`,
    );
    expect(result.next[0]).toContain(`eval "$(${result.command} --print-env)"`);
    expect(result.next[1]).toMatch(/^Quit Claude Code and start it again from that shell/);
    // The logins went through the proxy: the vault saw the proxy's User-Agent and Access headers on them.
    const logins = world.fake.requests.filter((r) => r.path === '/api/v1/auth/universal-auth/login');
    expect(logins).toHaveLength(2);
    for (const login of logins) expect(login.headers['cf-access-client-id']).toBe(world.fake.model.seed.cfAccessClientId);

    await expectNothingLeaked(JSON.stringify(result), JSON.stringify(seen), String(result.credentials.clientSecret));
  });

  it('rerun is harmless: the running proxy is reused and the config is left unchanged', async () => {
    world = await sessionWorld();
    const first = await startSession(world.options());
    const before = readFileSync(join(world.repo.path, '.mcp.json'), 'utf8');
    const again = await startSession(world.options());
    expect(again.steps.map((s) => [s.id, s.status])).toEqual([
      ['access-token', 'skipped'],
      ['proxy', 'already-done'],
      ['vault-status', 'done'],
      ['credentials', 'done'],
      ['verify', 'done'],
      ['mcp-config', 'already-done'],
    ]);
    expect(again.proxy).toMatchObject({ started: false, pid: first.proxy.pid });
    expect(again.config.action).toBe('unchanged');
    expect(readFileSync(join(world.repo.path, '.mcp.json'), 'utf8')).toBe(before);
    expect(readFileSync(join(world.repo.path, '.gitignore'), 'utf8').match(/\.mcp\.json/g)).toHaveLength(1);
    await expectNothingLeaked(JSON.stringify(first), JSON.stringify(again));
  });

  it('reuses a proxy already running on the port, and then needs no Access token of its own', async () => {
    world = await sessionWorld();
    const running = await startDetached({
      args: [PROXY_FIXTURE, 'start', '--port', String(world.port), '--pid-file', world.pidFile, '--detached-child'],
      pidFile: world.pidFile,
      env: world.env,
    });
    const { CF_ACCESS_CLIENT_ID: _, CF_ACCESS_CLIENT_SECRET: __, ...withoutToken } = world.env;
    const result = await startSession(world.options({ env: withoutToken }));
    expect(result.proxy).toMatchObject({ started: false, pid: running.pid });
    expect(result.steps[0]).toMatchObject({ id: 'access-token', status: 'skipped' });
    expect(result.verify.login).toBe(200);
  });

  it('without the Access token (and no proxy running) names both variables and changes nothing', async () => {
    world = await sessionWorld();
    const { CF_ACCESS_CLIENT_ID: _, CF_ACCESS_CLIENT_SECRET: __, ...withoutToken } = world.env;
    const error = await failure(startSession(world.options({ env: withoutToken })));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET are not set\. Export the Cloudflare Access/);
    expect(error.details).toMatchObject({ field: 'CF_ACCESS_CLIENT_ID', source: 'env' });
    const one = await failure(startSession(world.options({ env: { ...world.env, CF_ACCESS_CLIENT_SECRET: '' } })));
    expect(one.message).toMatch(/^CF_ACCESS_CLIENT_SECRET is not set\./);
    await expectNothingStarted();
    expect(world.fake.requests).toEqual([]);
  });

  it('a wrong identity name: names the flag and the missing folder; the proxy it started is stopped, no config', async () => {
    world = await sessionWorld();
    const error = await failure(startSession(world.options({ identityName: 'infisical-identity-mcp-nobody' })));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details).toMatchObject({ field: 'identityName', source: 'option' });
    expect(error.message).toContain('/MooseQuest/identities/infisical-identity-mcp-nobody holds no secret in prod');
    await expectNothingStarted();
    await expectNothingLeaked(errorText(error));
  });

  it('a wrong agent name: names the flag and the agent name the folder holds keys for', async () => {
    world = await sessionWorld();
    const error = await failure(startSession(world.options({ agentName: 'billing-bot' })));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details).toMatchObject({ field: 'agentName', source: 'option' });
    expect(error.message).toContain('holds no BILLING_BOT_CLIENT_ID');
    expect(error.details.hint).toContain('pass --agent-name mcp-ro');
    await expectNothingStarted();
    await expectNothingLeaked(errorText(error));
  });

  it('refuses missing or malformed names before anything runs', async () => {
    world = await sessionWorld();
    for (const [extra, field] of [
      [{ identityName: undefined }, 'identityName'],
      [{ identityName: 'a/b' }, 'identityName'],
      [{ agentName: undefined }, 'agentName'],
      [{ credsPath: 'relative/path' }, 'credsPath'],
      [{ port: 0 }, 'port'],
    ] as const) {
      const error = await failure(startSession(world.options(extra)));
      expect(error.details.field, JSON.stringify(extra)).toBe(field);
    }
    const { INFISICAL_CLIENT_SECRET: _, ...noAdmin } = world.env;
    expect((await failure(startSession(world.options({ env: noAdmin })))).details.field).toBe('INFISICAL_CLIENT_SECRET');
    await expectNothingStarted();
  });

  it('without the vault-proxy CLI: says where to get it, or to start a proxy it will reuse; nothing written', async () => {
    world = await sessionWorld();
    const error = await failure(startSession(world.options({ proxyCommand: { command: 'vault-proxy-not-installed-here' } })));
    expect(error.code).toBe('LISTEN_FAILED');
    expect(error.message).toMatch(
      /^Could not start the proxy: vault-proxy-not-installed-here was not found\. Put the clone’s scripts\/bin on PATH/,
    );
    await expectNothingStarted();
  });

  it('a wrong admin secret: names INFISICAL_CLIENT_SECRET, never a value', async () => {
    world = await sessionWorld();
    const error = await failure(startSession(world.options({ env: { ...world.env, INFISICAL_CLIENT_SECRET: 'f'.repeat(64) } })));
    expect(error.details).toMatchObject({ field: 'INFISICAL_CLIENT_SECRET', source: 'env' });
    expect(errorText(error)).not.toContain('f'.repeat(64));
    await expectNothingStarted();
    await expectNothingLeaked(errorText(error));
  });

  it('a stored secret that no longer logs in is failure mode C, with the rotate command; no config is written', async () => {
    world = await sessionWorld();
    const creds = { environment: 'prod', secretPath: '/MooseQuest/identities/infisical-identity-mcp-main-loop-trademaster' };
    world.fake.model.putSecret({ ...creds, secretKey: 'MCP_RO_CLIENT_SECRET', value: 'e'.repeat(64) });
    const error = await failure(startSession(world.options()));
    expect(error.code).toBe('VERIFY_FAILED');
    expect(error.details).toMatchObject({ failureMode: 'C', status: 401 });
    expect(error.message).toContain(`vault-provision rotate --identity-name ${RUNBOOK_IDENTITY.identityName} --agent-name mcp-ro`);
    expect(errorText(error)).not.toContain('e'.repeat(64));
    await expectNothingStarted();
    await expectNothingLeaked(errorText(error));
  });

  it('a probe key out of scope is failure mode D; without a probe key the read is skipped', async () => {
    world = await sessionWorld();
    const error = await failure(startSession(world.options({ probeKey: 'OPS_PAGER_TOKEN', probePath: '/Ops' })));
    expect(error.details).toMatchObject({ failureMode: 'D', status: 403 });
    await expectNothingStarted();
    const { VAULT_PROBE_KEY: _, ...noProbe } = world.env;
    const result = await startSession(world.options({ env: noProbe }));
    expect(result.verify.probe).toBe('skipped');
    expect(result.steps.find((s) => s.id === 'verify')?.detail).toMatch(/read skipped: no probe key \(set VAULT_PROBE_KEY/);
  });

  it('takes the identity from a rotation-manifest entry, and refuses naming it both ways', async () => {
    world = await sessionWorld();
    const seed = world.fake.model.seed;
    const manifest = join(world.runDir, 'rotation.json');
    const entry = {
      identityName: RUNBOOK_IDENTITY.identityName,
      identityId: seed.mcp.identityId,
      clientId: seed.mcp.clientId,
      projectId: seed.projectId,
      environment: 'prod',
      credsPath: `/MooseQuest/identities/${RUNBOOK_IDENTITY.identityName}`,
      clientIdKey: 'MCP_RO_CLIENT_ID',
      clientSecretKey: 'MCP_RO_CLIENT_SECRET',
      rotationIntervalDays: 30,
      lastRotatedAt: new Date().toISOString(),
      currentClientSecretId: 'some-id',
    };
    await writeFile(manifest, JSON.stringify({ version: 1, identities: [entry] }), { mode: 0o600 });
    const both = await failure(startSession(world.options({ manifest })));
    expect(both.details).toMatchObject({ field: 'agentName', source: 'option' });
    const project = await failure(startSession(world.options({ agentName: undefined, manifest, projectId: seed.projectId })));
    expect(project.details).toMatchObject({ field: 'projectId', source: 'option' });
    const result = await startSession(world.options({ agentName: undefined, manifest }));
    expect(result.identity).toMatchObject({ source: 'manifest', manifest, clientSecretKey: 'MCP_RO_CLIENT_SECRET' });
    expect(result.command).toContain(`--manifest ${manifest}`);
    const unknown = await failure(startSession(world.options({ agentName: undefined, manifest, identityName: 'other' })));
    expect(unknown.details.field).toBe('identityName');
    expect(unknown.message).toContain(`lists ${RUNBOOK_IDENTITY.identityName}`);
  });
});
