import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVaultProxyError } from '../../src/errors.js';
import {
  defaultPidFile,
  inspectPidFile,
  listPidFiles,
  type PidFileContent,
  pidDirectory,
  readPidFile,
  removePidFile,
  resolvePidFile,
  writePidFile,
} from '../../src/process/index.js';
import { tempDir } from './helpers.js';

const content = (pid: number): PidFileContent => ({
  pid,
  host: '127.0.0.1',
  port: 2019,
  url: 'http://127.0.0.1:2019',
  upstream: 'https://vault.raxx.app',
  startedAt: new Date(0).toISOString(),
});

describe('pid file', () => {
  it('round-trips its content, file mode 0600, new directory mode 0700', async () => {
    const dir = join(await tempDir(), 'run', 'vault-proxy');
    const path = join(dir, 'vault-proxy-2019.pid');
    await writePidFile(path, content(4242));
    expect(await readPidFile(path)).toEqual(content(4242));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('stamps startedAt with the current UTC time when the caller gives none', async () => {
    const path = join(await tempDir(), 'vault-proxy-2019.pid');
    const before = Date.now();
    const { startedAt: _given, ...rest } = content(4242);
    await writePidFile(path, rest);
    const written = await readPidFile(path);
    const at = Date.parse(written?.startedAt ?? '');
    expect(written?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('replaces atomically: no temporary file is left and every read sees a whole file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'p.pid');
    const writes = Array.from({ length: 20 }, (_, i) => writePidFile(path, content(1000 + i)));
    const reads: (PidFileContent | undefined)[] = [];
    for (let i = 0; i < 20; i++) reads.push(await readPidFile(path));
    await Promise.all(writes);
    for (const read of reads) if (read !== undefined) expect(read.port).toBe(2019);
    expect((await readPidFile(path))?.pid).toBeGreaterThanOrEqual(1000);
    expect(await readdir(dir)).toEqual(['p.pid']);
  });

  it('reads a missing or foreign file as undefined', async () => {
    const dir = await tempDir();
    expect(await readPidFile(join(dir, 'missing.pid'))).toBeUndefined();
    await writeFile(join(dir, 'junk.pid'), '12345\n');
    expect(await readPidFile(join(dir, 'junk.pid'))).toBeUndefined();
  });

  it('is removed only while it names the given pid', async () => {
    const path = join(await tempDir(), 'p.pid');
    await writePidFile(path, content(111));
    expect(await removePidFile(path, 222)).toBe(false);
    expect(await readPidFile(path)).toBeDefined();
    expect(await removePidFile(path, 111)).toBe(true);
    expect(await readPidFile(path)).toBeUndefined();
    expect(await removePidFile(path, 111)).toBe(false);
  });

  it('refuses a directory anyone may write to', async () => {
    const dir = join(await tempDir(), 'open');
    await mkdir(dir);
    await chmod(dir, 0o777);
    const error = await writePidFile(join(dir, 'p.pid'), content(1)).catch((e: unknown) => e);
    expect(isVaultProxyError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('VAULT_PROXY_PID_FILE');
    expect(await readdir(dir)).toEqual([]);
  });

  it('holds no credentials: only the documented keys', async () => {
    const path = join(await tempDir(), 'p.pid');
    await writePidFile(path, content(7));
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8'))).sort()).toEqual(['host', 'pid', 'port', 'startedAt', 'upstream', 'url']);
  });
});

describe('pid file location', () => {
  it('is one file per port under XDG_RUNTIME_DIR, else a per-user temp directory', () => {
    expect(defaultPidFile(2019, { XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/vault-proxy/vault-proxy-2019.pid');
    expect(defaultPidFile(2020, {})).toBe(join(tmpdir(), `vault-proxy-${process.getuid?.()}`, 'vault-proxy-2020.pid'));
  });

  it('takes an explicit path, then VAULT_PROXY_PID_FILE, then the default', () => {
    const env = { VAULT_PROXY_PID_FILE: '/tmp/from-env.pid', XDG_RUNTIME_DIR: '/run/user/1' };
    expect(resolvePidFile({ pidFile: '/tmp/flag.pid', port: 1 }, env)).toBe('/tmp/flag.pid');
    expect(resolvePidFile({ port: 1 }, env)).toBe('/tmp/from-env.pid');
    expect(resolvePidFile({ port: 1 }, { XDG_RUNTIME_DIR: '/run/user/1' })).toBe('/run/user/1/vault-proxy/vault-proxy-1.pid');
    expect(resolvePidFile({ pidFile: 'rel.pid', port: 1 }, {})).toBe(join(process.cwd(), 'rel.pid'));
  });
});

describe('pid files found', () => {
  it('tells a missing pid file from one that is not a vault-proxy pid file', async () => {
    const dir = await tempDir();
    expect(await inspectPidFile(join(dir, 'none.pid'))).toEqual({ state: 'missing' });
    await writeFile(join(dir, 'garbage.pid'), 'not json at all');
    expect(await inspectPidFile(join(dir, 'garbage.pid'))).toEqual({ state: 'invalid' });
    await writeFile(join(dir, 'other.pid'), '{"pid": 12}');
    expect(await inspectPidFile(join(dir, 'other.pid'))).toEqual({ state: 'invalid' });
    await writePidFile(join(dir, 'ok.pid'), content(42));
    expect(await inspectPidFile(join(dir, 'ok.pid'))).toEqual({ state: 'valid', content: content(42) });
  });

  it('lists every per-port pid file of the pid directory, whatever the port, and nothing else', async () => {
    const env = { XDG_RUNTIME_DIR: await tempDir() };
    expect(await listPidFiles(env)).toEqual([]);
    for (const port of [2019, 2020, 41873]) await writePidFile(defaultPidFile(port, env), content(port));
    await writeFile(join(pidDirectory(env), 'vault-proxy-2019.log'), '');
    await writeFile(join(pidDirectory(env), 'notes.pid'), '');
    expect(await listPidFiles(env)).toEqual([2019, 2020, 41873].map((port) => defaultPidFile(port, env)));
  });

  it('reads TMPDIR from the environment it is given when there is no XDG_RUNTIME_DIR', () => {
    expect(pidDirectory({ TMPDIR: '/var/tmp/op' })).toBe(`/var/tmp/op/vault-proxy-${process.getuid?.()}`);
  });
});
