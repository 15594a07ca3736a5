import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enableMcp } from '@raxx/vault-proxy/mcp';
import { isVaultProxyProcess } from '@raxx/vault-proxy/process';
import { describe, expect, it } from 'vitest';
import { canaries, cleanEnv, freePort, leaks, proxyEnv, readOrEmpty, runCli, tempDir } from './helpers.js';
import { useFakeVault, useStrayProxies } from './vault-fixture.js';

const fake = useFakeVault();
const strays = useStrayProxies();

/** A git repository, as the agent's would be. */
async function agentRepo(): Promise<string> {
  const repo = await tempDir();
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], {
    cwd: repo,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  return repo;
}

describe('vault-proxy emergency-stop', () => {
  it('stops every proxy of this user whatever its port, removes every client entry of the repository, and says what it did', async () => {
    const runtime = await tempDir();
    // Two proxies with the default per-port pid files, as `start --detach` and `VAULT_PROXY_PORT=2020 start --detach` leave them.
    const env: NodeJS.ProcessEnv = { ...proxyEnv(fake(), join(runtime, 'unused.pid')), XDG_RUNTIME_DIR: runtime };
    delete env.VAULT_PROXY_PID_FILE;
    const pids: number[] = [];
    for (const port of [await freePort(), await freePort()]) {
      const started = await runCli(['start', '--detach', '--json', '--port', String(port)], env);
      expect(started.code).toBe(0);
      const { pid } = JSON.parse(started.stdout) as { pid: number };
      strays.push(pid);
      pids.push(pid);
    }
    const repo = await agentRepo();
    await enableMcp({ dir: repo, port: 2019, env: {} });
    await enableMcp({ dir: repo, port: 2019, client: 'cursor', env: {} });

    // Typed in the agent's repository, with no flag: the default port (2019) is neither proxy's.
    const stop = await runCli(['emergency-stop', '--port', '9', '--dir', repo], env);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`Proxies: looked in ${join(runtime, 'vault-proxy')}, at port 9`);
    for (const pid of pids) {
      expect(stop.stdout).toMatch(
        new RegExp(`✔ vault-proxy pid ${pid}: stopped \\(http://127\\.0\\.0\\.1:\\d+; pid file .*; found by pid file, process\\)`),
      );
      expect(isVaultProxyProcess(pid)).toBe(false);
    }
    expect(stop.stdout).toContain(
      `✔ claude: removed the Infisical entry and the file (nothing else was in it) — ${join(repo, '.mcp.json')}`,
    );
    expect(stop.stdout).toContain(
      `✔ cursor: removed the Infisical entry and the file (nothing else was in it), and the empty ${join(repo, '.cursor')}`,
    );
    expect(stop.stdout).toContain(`• vscode: no config file — ${join(repo, '.vscode', 'mcp.json')}`);
    expect(stop.stdout).toContain('Emergency stop done: 2 proxies stopped, 2 MCP entries removed');
    expect(existsSync(join(repo, '.mcp.json')) || existsSync(join(repo, '.cursor'))).toBe(false);

    // Again: nothing left, and it says so rather than nothing.
    const again = await runCli(['emergency-stop', '--port', '9', '--dir', repo], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('• vault-proxy: none was running');
    expect(again.stdout).toContain('Emergency stop: nothing was running and no MCP entry was there; nothing to do.');
    expect(leaks(canaries(fake()), { stop: stop.stdout + stop.stderr, again: again.stdout + again.stderr })).toEqual([]);
  });

  it('exits 1 naming what it could not do, after doing the rest', async () => {
    const runtime = await tempDir();
    const repo = await agentRepo();
    await mkdir(join(repo, '.vscode'));
    await writeFile(join(repo, '.vscode', 'mcp.json'), '{ "servers": { oops } }');
    await enableMcp({ dir: repo, port: 2019, env: {} });
    const env = cleanEnv({ XDG_RUNTIME_DIR: runtime, VAULT_PROXY_PORT: '9' });
    const stop = await runCli(['emergency-stop', '--dir', repo], env);
    expect(stop.code).toBe(1);
    expect(stop.stdout).toContain(`✔ claude: removed the Infisical entry and the file`);
    expect(stop.stdout).toMatch(/✖ vscode: The MCP config .*mcp\.json is not valid JSON with comments: .* at line 1, column \d+/);
    expect(stop.stdout).toContain('Emergency stop incomplete: finish the failed part by hand (docs/runbook.md §Emergency stop).');
    expect(await readOrEmpty(join(repo, '.vscode', 'mcp.json'))).toBe('{ "servers": { oops } }');

    const json = await runCli(['emergency-stop', '--dir', repo, '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, proxies: [], mcp: expect.any(Array) });
  });
});
