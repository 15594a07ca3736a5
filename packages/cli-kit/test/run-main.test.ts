import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageVersion } from '../src/package-version.js';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-kit-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Run a bin whose body is `runMain(cli)`; the cli keeps a timer alive, so only an explicit exit ends it. */
async function runBin(cliBody: string, args: string[]) {
  const bin = join(dir, 'bin.mjs');
  await writeFile(
    bin,
    `import { runMain } from ${JSON.stringify(DIST)};\nsetInterval(() => {}, 60_000);\nrunMain(async (args) => { ${cliBody} });\n`,
  );
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout: Buffer.concat(out).toString() };
}

describe('runMain and flushAndExit', () => {
  it('exits with the code the cli resolves, after all of its output reached the pipe', async () => {
    expect(existsSync(DIST), 'run `npx tsup` first: the bin imports dist/').toBe(true);
    const run = await runBin(`process.stdout.write('x'.repeat(1 << 20)); return Number(args[0]);`, ['3']);
    expect(run.code).toBe(3);
    expect(run.stdout).toHaveLength(1 << 20);
  });

  it('exits 1 when the cli rejects', async () => {
    const run = await runBin(`throw new Error('no');`, []);
    expect(run.code).toBe(1);
  });
});

describe('packageVersion', () => {
  it("reads a package.json's version, or 0.0.0 without one", async () => {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'a', version: '1.2.3' }));
    expect(packageVersion(pathToFileURL(join(dir, 'package.json')))).toBe('1.2.3');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'a' }));
    expect(packageVersion(pathToFileURL(join(dir, 'package.json')))).toBe('0.0.0');
  });
});
