import { configInvalid } from '@raxx/vault-proxy';
import { describe, expect, it } from 'vitest';
import type { Argv } from 'yargs';
import type { CliContext } from '../src/run-cli.js';
import { runCli } from '../src/run-cli.js';
import { runDirect } from '../src/run-direct.js';
import { captureIo } from './support.js';

interface ServeArgs {
  readonly poolSize?: string;
  readonly detach?: boolean;
  readonly json?: boolean;
}

/** The handler both parsers call: it records what it got, and refuses `--pool-size 0` as a library would. */
function serveHandler(calls: ServeArgs[]) {
  return async (argv: ServeArgs, context: CliContext): Promise<number> => {
    calls.push({ poolSize: argv.poolSize, detach: argv.detach, json: argv.json });
    if (argv.poolSize === '0') {
      context.partial.steps = ['resolved'];
      throw configInvalid('poolSize', 'option', 'must be an integer from 1 to 4096', 'Give a pool size in range.');
    }
    context.output.say(`serving with ${argv.poolSize ?? 'the default'}`);
    return 0;
  };
}

const FLAGS = { 'pool-size': 'string', detach: 'boolean', json: 'boolean' } as const;

function direct(args: string[]) {
  const io = captureIo();
  const calls: ServeArgs[] = [];
  const run = runDirect<ServeArgs>({ name: 'tool', command: 'serve', flags: FLAGS, handler: serveHandler(calls), args, io });
  return run.then((code) => ({ code, io, calls }));
}

function full(args: string[]) {
  const io = captureIo();
  const calls: ServeArgs[] = [];
  const builder = (y: Argv) =>
    y.option('pool-size', { type: 'string' }).option('detach', { type: 'boolean' }).option('json', { type: 'boolean' });
  const run = runCli({
    name: 'tool',
    usage: 'a tool',
    commands: [{ command: 'serve', describe: 'serve', builder, handler: serveHandler(calls) as never }],
    args,
    version: '1.0.0',
    io,
  });
  return run.then((code) => ({ code, io, calls }));
}

describe('runDirect', () => {
  it.each([[['serve']], [['serve', '--pool-size', '8']], [['serve', '--pool-size=8', '--detach']], [['serve', '--', '--pool-size', '8']]])(
    'runs %j exactly as the full parser does',
    async (args) => {
      const a = await direct(args);
      const b = await full(args);
      expect(a.code).toBe(0);
      expect(a.code).toBe(b.code);
      expect(a.calls).toEqual(b.calls);
      expect(a.io.stdout).toEqual(b.io.stdout);
    },
  );

  it.each([[['serve', '--pool-size', '0']], [['serve', '--pool-size', '0', '--json']]])(
    'fails %j the one way: same output, same exit code',
    async (args) => {
      const a = await direct(args);
      const b = await full(args);
      expect(a.code).toBe(2);
      expect(a.code).toBe(b.code);
      expect(a.io.stdout).toEqual(b.io.stdout);
      expect(a.io.stderr).toEqual(b.io.stderr);
      expect([...a.io.stdout, ...a.io.stderr].join('\n')).toContain('--pool-size');
    },
  );

  it.each([
    ['another command', ['stop']],
    ['no command', []],
    ['help', ['serve', '--help']],
    ['an unknown flag', ['serve', '--pool-sise', '8']],
    ['a camel-cased flag', ['serve', '--poolSize', '8']],
    ['a repeated flag', ['serve', '--pool-size', '8', '--pool-size', '9']],
    ['a positional', ['serve', 'extra']],
    ['a boolean with a value', ['serve', '--detach', 'true']],
    ['a string flag without its value', ['serve', '--pool-size']],
  ])('leaves %s to the full parser, running nothing', async (_what, args) => {
    const a = await direct(args);
    expect(a.code).toBeUndefined();
    expect(a.calls).toEqual([]);
    expect([...a.io.stdout, ...a.io.stderr]).toEqual([]);
  });
});
