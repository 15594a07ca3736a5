import { configInvalid, VaultProxyError, type VaultProxyErrorCode } from '@raxx/vault-proxy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Argv } from 'yargs';
import type { CliIo } from '../src/cli-io.js';
import { type CliCommand, runCli } from '../src/run-cli.js';
import { captureIo } from './support.js';

interface GreetArgs {
  readonly name?: string;
  readonly loud?: boolean;
}

const greetBuilder = (y: Argv) => y.option('name', { type: 'string' }).option('loud', { type: 'boolean' });

/** A tiny CLI: `greet` prints and exits 0 (1 for "nobody"), `fail <code>` throws that error, `boom` throws a foreign one. */
function tool(args: string[], extra: { io?: CliIo; errorLines?: (error: unknown) => string[]; thrown?: unknown } = {}) {
  const io = extra.io ?? captureIo();
  const greet: CliCommand<GreetArgs> = {
    command: 'greet',
    describe: 'say hello',
    builder: greetBuilder,
    handler: async (argv) => {
      io.out(`hello ${argv.name ?? 'world'}${argv.loud ? '!' : ''}`);
      return argv.name === 'nobody' ? 1 : 0;
    },
  };
  const fail: CliCommand<{ code: string }> = {
    command: 'fail <code>',
    describe: 'throw a VaultProxyError with this code',
    handler: async (argv) => {
      throw new VaultProxyError(argv.code as VaultProxyErrorCode, `failed with ${argv.code}`, {
        details: { hint: 'Try the other thing.' },
      });
    },
  };
  const config: CliCommand<{ source: string; json?: boolean }> = {
    command: 'config <source>',
    describe: 'throw a configuration error about the option `identityName` or the variable VAULT_PROXY_PORT',
    builder: (y) => y.option('json', { type: 'boolean' }),
    handler: async (argv, context) => {
      context.partial.steps = ['signed in'];
      throw argv.source === 'option'
        ? configInvalid('identityName', 'option', 'must be a slug', 'Use lower-case letters, digits and dashes.')
        : configInvalid('VAULT_PROXY_PORT', 'env', 'must be an integer from 0 to 65535', 'Set it in range.');
    },
  };
  const boom: CliCommand = {
    command: 'boom',
    describe: 'throw something foreign',
    handler: async () => {
      throw extra.thrown ?? new Error('foreign-canary-5b2e at /home/someone/.secret');
    },
  };
  return runCli({
    name: 'demo-cli',
    usage: 'A CLI for tests.',
    commands: [greet, fail, config, boom],
    args,
    version: '9.8.7',
    io,
    errorLines: extra.errorLines,
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runCli: the one place errors become exit codes', () => {
  it('runs the named command with its flags and returns the code it resolves', async () => {
    const io = captureIo();
    expect(await tool(['greet', '--name', 'Ada', '--loud'], { io })).toBe(0);
    expect(io.stdout).toEqual(['hello Ada!']);
    expect(io.stderr).toEqual([]);
    expect(await tool(['greet', '--name', 'nobody'], { io })).toBe(1);
  });

  it('ignores the `--` that `pnpm --filter x run y -- --flag` forwards', async () => {
    const io = captureIo();
    expect(await tool(['greet', '--', '--name', 'Ada', '--loud'], { io })).toBe(0);
    expect(io.stdout).toEqual(['hello Ada!']);
  });

  it.each([
    ['CONFIG_INVALID', 2],
    ['PROVISION_REFUSED', 2],
    ['MANIFEST_INVALID', 2],
    ['MCP_CONFIG_REFUSED', 2],
    ['PORT_IN_USE', 3],
    ['STOP_FAILED', 1],
    ['VERIFY_FAILED', 1],
  ])('a thrown %s exits %i and prints the message and its fix hint', async (code, exit) => {
    const io = captureIo();
    expect(await tool(['fail', code], { io })).toBe(exit);
    expect(io.stderr).toEqual([`demo-cli: error: failed with ${code}`, '  fix: Try the other thing.']);
    expect(io.stdout).toEqual([]);
  });

  it('a foreign error exits 1 and shows only its name, never its message', async () => {
    const io = captureIo();
    expect(await tool(['boom'], { io })).toBe(1);
    expect(io.stderr).toEqual(['demo-cli: unexpected error (Error)']);
    expect(io.stderr.join('\n')).not.toContain('foreign-canary-5b2e');
    const thrownString = captureIo();
    expect(await tool(['boom'], { io: thrownString, thrown: 'string-canary-77a1' })).toBe(1);
    expect(thrownString.stderr).toEqual(['demo-cli: unexpected error (string)']);
  });

  it.each([
    [['launch'], 'Unknown argument: launch.'],
    [['greet', '--nmae', 'x'], 'Unknown argument: nmae.'],
    [[], 'Name a command: greet, fail, config or boom.'],
    [['fail'], 'Not enough non-option arguments: got 0, need at least 1.'],
  ])('a usage error (%j) exits 2 as CONFIG_INVALID naming `--help`', async (args, text) => {
    const io = captureIo();
    expect(await tool(args, { io })).toBe(2);
    expect(io.stderr).toEqual([`demo-cli: error: ${text}`, '  fix: Run `demo-cli --help`.']);
  });

  it('names the flag the user typed for an option at fault, from the error’s field (not its message)', async () => {
    const io = captureIo();
    expect(await tool(['config', 'option'], { io })).toBe(2);
    expect(io.stderr).toEqual(['demo-cli: error: --identity-name must be a slug.', '  fix: Use lower-case letters, digits and dashes.']);
    const env = captureIo();
    expect(await tool(['config', 'env'], { io: env })).toBe(2);
    expect(env.stderr).toEqual(['demo-cli: error: VAULT_PROXY_PORT must be an integer from 0 to 65535.', '  fix: Set it in range.']);
  });

  it('with --json prints one JSON document on stdout (with what ran before the failure) and nothing on stderr', async () => {
    const io = captureIo();
    expect(await tool(['config', 'option', '--json'], { io })).toBe(2);
    expect(io.stderr).toEqual([]);
    expect(JSON.parse(io.stdout.join('\n'))).toEqual({
      ok: false,
      steps: ['signed in'],
      error: {
        code: 'CONFIG_INVALID',
        message: '--identity-name must be a slug.',
        flag: '--identity-name',
        hint: 'Use lower-case letters, digits and dashes.',
      },
    });
  });

  it('errorLines adds app lines after the fix; the exit code still comes from the error', async () => {
    const io = captureIo();
    expect(await tool(['fail', 'PORT_IN_USE'], { io, errorLines: () => ['  ✖ write: expected 403, got 200'] })).toBe(3);
    expect(io.stderr).toEqual([
      'demo-cli: error: failed with PORT_IN_USE',
      '  fix: Try the other thing.',
      '  ✖ write: expected 403, got 200',
    ]);
  });

  it('--version and --help print and exit 0 without running a command', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const io = captureIo();
    expect(await tool(['--version'], { io })).toBe(0);
    expect(log).toHaveBeenCalledWith('9.8.7');
    log.mockClear();
    expect(await tool(['greet', '-h'], { io })).toBe(0);
    const help = log.mock.calls.map((c) => String(c[0])).join('\n');
    expect(help).toContain('demo-cli greet');
    expect(help).toContain('--name');
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual([]);
  });
});
