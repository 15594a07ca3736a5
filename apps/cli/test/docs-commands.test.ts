import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRunningProxies } from '@raxx/vault-proxy/process';
import type { FakeVault } from '@raxx/vault-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CommandRun, type DocSession, runBlock, runUntil, sessionDirs } from './docs/doc-session.js';
import { type DocBlock, type DocCommand, shellBlocks } from './docs/markdown-commands.js';
import { enterScene, stopSessionProxies } from './docs/scenes.js';
import { canaries, freePort } from './helpers.js';
import { useFakeVault } from './vault-fixture.js';

// Every command of the README and the runbook, run as typed, where it is typed, against the fake vault:
// a documented command that fails fails CI. (docs/runbook.md and README §The two commands say how blocks are marked.)
const CLONE = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
const DOCUMENTS = ['README.md', 'docs/runbook.md'];
const fake = useFakeVault();
let session: DocSession | undefined;

afterEach(async () => {
  if (session) await stopSessionProxies(session);
  session = undefined;
});

/** What the vault's operator has exported: the Access token, the admin identity, a probe key; no MCP identity yet. */
const OPERATOR_VARIABLES = [
  'CF_ACCESS_CLIENT_ID',
  'CF_ACCESS_CLIENT_SECRET',
  'INFISICAL_CLIENT_ID',
  'INFISICAL_CLIENT_SECRET',
  'INFISICAL_PROJECT_ID',
  'VAULT_PROBE_KEY',
  'VAULT_PROBE_PATH',
  // Where "the vault" is: the fake one, on loopback, with its own CA.
  'VAULT_PROXY_UPSTREAM',
  'VAULT_PROXY_CONNECT_TO',
  'VAULT_PROXY_CA_FILE',
];

/**
 * An operator's terminal: this process's environment without what a test
 * run adds (pnpm's INIT_CWD and npm_*, node_modules/.bin on PATH, vitest's
 * own) or any vault setting, plus the operator's variables, a free proxy
 * port, and a runtime directory of its own (so its emergency stop reaches
 * only its own proxies).
 */
async function openSession(vault: FakeVault): Promise<DocSession> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'vp-docs-')));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value === undefined ||
      /^(VAULT_|CF_ACCESS_|INFISICAL_|XDG_RUNTIME_DIR$|TMPDIR$|INIT_CWD$|npm_|PNPM_|VITEST|NODE_ENV$|TURBO_)/.test(key)
    )
      continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((p) => p !== '' && !p.includes('/node_modules/'))
    .join(':');
  for (const key of OPERATOR_VARIABLES) env[key] = vault.env[key] ?? '';
  env.VAULT_PROXY_PORT = String(await freePort());
  env.XDG_RUNTIME_DIR = join(root, 'run');
  env.TMPDIR = join(root, 'tmp');
  await mkdir(env.TMPDIR, { recursive: true });
  const dirs = await sessionDirs(root, CLONE);
  env.AGENT_REPO = dirs.repo;
  return { env, dirs, scratch: await mkdtemp(join(root, 'scratch-')) };
}

/** `norun` blocks: checked against what they name, since running them would nest the build or the test run. */
async function checkNotRun(block: DocBlock): Promise<string[]> {
  const problems: string[] = [];
  const root = JSON.parse(await readFile(join(CLONE, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const ci = await readFile(join(CLONE, '.ci', 'run'), 'utf8');
  const packages = new Map<string, Record<string, string>>();
  for (const dir of [
    'apps/cli',
    'apps/enable-mcp',
    'apps/provision',
    'apps/bench',
    'packages/vault-proxy',
    'packages/testkit',
    'packages/cli-kit',
  ]) {
    const pkg = JSON.parse(await readFile(join(CLONE, dir, 'package.json'), 'utf8')) as { name: string; scripts: Record<string, string> };
    packages.set(pkg.name, pkg.scripts);
    packages.set(pkg.name.replace(/^@[^/]+\//, ''), pkg.scripts);
  }
  for (const c of block.commands) {
    const at = `${block.doc}:${c.line} ${c.text}`;
    const text = c.text.replace(/\s+#.*$/, '');
    if (block.norun === 'ci') {
      if (!ci.split('\n').includes(text)) problems.push(`${at}: .ci/run does not run exactly this command`);
      continue;
    }
    const m = /^npx --yes pnpm@10\.34\.9 (\S+)(?: (\S+))?/.exec(text);
    if (!m) problems.push(`${at}: a workspace script is run as npx --yes pnpm@10.34.9 <script>`);
    else if (m[1] === 'exec') {
      // A tool run from the root: it must be installed there, and every path it is given must exist from there.
      if (!existsSync(join(CLONE, 'node_modules', '.bin', m[2] as string)))
        problems.push(`${at}: no ${m[2]} in the root's node_modules/.bin`);
      for (const arg of text.split(/\s+/).slice(4)) {
        if (arg.includes('/') && !arg.startsWith('-') && !existsSync(join(CLONE, arg))) problems.push(`${at}: no ${arg} in the clone`);
      }
    } else if (m[1] === '--filter') {
      if (!packages.has(m[2] as string)) problems.push(`${at}: no workspace package ${m[2]}`);
    } else if (m[1] !== 'install' && root.scripts[m[1] as string] === undefined)
      problems.push(`${at}: the root package.json has no script ${m[1]}`);
  }
  return problems;
}

/** What is wrong with one command's run: its exit status, JSON that is not JSON, a secret in its output. */
function problemsOf(run: CommandRun, secrets: readonly string[], doc: string): string[] {
  const c: DocCommand = run.command;
  const problems: string[] = [];
  const tail = (text: string) => text.trim().split('\n').slice(-12).join('\n      ');
  if (run.code !== c.exit) {
    problems.push(
      `${doc}:${c.line} exited ${run.code ?? run.signal}, documented ${c.exit}: ${c.text}\n    stdout: ${tail(run.stdout)}\n    stderr: ${tail(run.stderr)}`,
    );
  }
  if (c.shows && !c.shows.test(run.stdout + run.stderr)) {
    problems.push(
      `${doc}:${c.line} does not print what its comment shows (${c.shows.source}): ${c.text}\n    output: ${tail(run.stdout + run.stderr)}`,
    );
  }
  const typed = c.text.replace(/\s+#[^\n]*$/, '');
  if (/\s--json\b/.test(typed) && !typed.includes('>')) {
    try {
      JSON.parse(run.stdout);
    } catch {
      problems.push(`${doc}:${c.line} prints no clean JSON on stdout: ${c.text}\n    stdout: ${tail(run.stdout)}`);
    }
  }
  for (const s of secrets) if ((run.stdout + run.stderr).includes(s)) problems.push(`${doc}:${c.line} printed a secret: ${c.text}`);
  return problems;
}

describe('every documented command works as typed, where it is typed', () => {
  for (const doc of DOCUMENTS) {
    it(`${doc}: every sh block, run against the fake vault`, async () => {
      const blocks = shellBlocks(doc, await readFile(join(CLONE, doc), 'utf8'));
      expect(blocks.length).toBeGreaterThan(3);
      const s = await openSession(fake());
      session = s;
      const secrets = canaries(fake());
      const problems: string[] = [];
      let ran = 0;
      for (const block of blocks) {
        if (block.norun) {
          problems.push(...(await checkNotRun(block)));
          continue;
        }
        if (block.scene) await enterScene(block.scene, s);
        if (block.until) {
          const run = await runUntil(s, block);
          ran += 1;
          const stopped = run.code === 0 || run.code === 130 || run.signal === 'SIGINT';
          if (!run.ready || !stopped) {
            problems.push(
              `${doc}:${run.command.line} ${run.ready ? `did not stop on Ctrl-C (exit ${run.code ?? run.signal})` : `never printed ${block.until}`}: ${run.command.text}\n    output: ${(run.stdout + run.stderr).slice(-1500)}`,
            );
          }
          problems.push(...problemsOf({ ...run, code: 0 }, secrets, doc));
          // Ctrl-C leaves nothing running.
          const left = await findRunningProxies({ env: s.env });
          if (left.proxies.length > 0)
            problems.push(`${doc}:${run.command.line} left a vault-proxy running after Ctrl-C: ${run.command.text}`);
          continue;
        }
        for (const run of await runBlock(s, block)) {
          ran += 1;
          problems.push(...problemsOf(run, secrets, doc));
        }
      }
      const left = await findRunningProxies({ env: s.env });
      expect(problems).toEqual([]);
      expect(ran).toBeGreaterThan(10);
      // The documents end as they should leave a machine: no proxy running.
      expect(left.proxies).toEqual([]);
      await rm(s.scratch, { recursive: true, force: true });
    }, 420_000);
  }

  it('marks every shell block of both documents (the parser refuses one without a place to type it)', async () => {
    expect(() => shellBlocks('x.md', '```sh\nvault-proxy status\n```\n')).toThrow(/needs where=… or norun=…/);
    expect(() => shellBlocks('x.md', '```sh where=home\nls\n```\n')).toThrow(/where=home/);
    expect(() => shellBlocks('x.md', '```sh where=any until="x"\na\nb\n```\n')).toThrow(/exactly one command/);
    const [block] = shellBlocks(
      'x.md',
      'intro\n\n  ```sh where=repo\n  # a comment\n  vault-proxy doctor   # (exit 1) A\n  curl -s \\\n    http://x\n  ```\n',
    );
    expect(block?.commands).toEqual([
      { text: 'vault-proxy doctor   # (exit 1) A', line: 5, exit: 1 },
      { text: 'curl -s \\\nhttp://x', line: 6, exit: 0 },
    ]);
    // A comment that starts with a check mark is a line the command must print (… for anything).
    const shown = shellBlocks('x.md', '```sh where=repo\nvault-proxy doctor   # (exit 1) ✖ Vault … [failure mode B]\n```\n')[0]
      ?.commands[0];
    expect(shown?.shows?.test('✖ Vault status through the proxy [failure mode B]: 403')).toBe(true);
    expect(shown?.shows?.test('✖ Vault status through the proxy [failure mode C]: 401')).toBe(false);
    for (const doc of DOCUMENTS) expect(shellBlocks(doc, await readFile(join(CLONE, doc), 'utf8')).length).toBeGreaterThan(3);
  });
});
