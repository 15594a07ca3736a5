import { VaultProxyError, type VaultProxyErrorCode } from '@raxx/vault-proxy';
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
function tool(args: string[], extra: { io?: CliIo; onError?: (error: unknown) => void; thrown?: unknown } = {}) {
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
    commands: [greet, fail, boom],
    args,
    version: '9.8.7',
    io,
    onError: extra.onError,
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
    [[], 'Name a command: greet, fail or boom.'],
    [['fail'], 'Not enough non-option arguments: got 0, need at least 1.'],
  ])('a usage error (%j) exits 2 as CONFIG_INVALID naming `--help`', async (args, text) => {
    const io = captureIo();
    let seen: unknown;
    expect(await tool(args, { io, onError: (e) => (seen = e) })).toBe(2);
    expect(seen).toBeInstanceOf(VaultProxyError);
    expect(seen).toMatchObject({ code: 'CONFIG_INVALID', message: `${text} Run \`demo-cli --help\`.` });
    expect(await tool(args, { io })).toBe(2);
    expect(io.stderr).toEqual([`demo-cli: error: ${text} Run \`demo-cli --help\`.`]);
  });

  it('onError replaces the default printer; the exit code still comes from the error', async () => {
    const io = captureIo();
    const seen: unknown[] = [];
    expect(await tool(['fail', 'PORT_IN_USE'], { io, onError: (e) => seen.push(e) })).toBe(3);
    expect(seen).toEqual([expect.objectContaining({ code: 'PORT_IN_USE' })]);
    expect(io.stderr).toEqual([]);
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
