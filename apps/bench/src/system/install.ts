import { spawnSync } from 'node:child_process';
import { findExecutable } from './find-executable.js';

/** A program the bench runs that Debian packages: the peers and wrk. */
export interface Tool {
  /** Name used in the report. */
  readonly name: string;
  /** The executable looked up on `PATH`. */
  readonly binary: string;
  /** The Debian package that provides it. */
  readonly aptPackage: string;
}

/** What became of a tool: found (maybe just installed) or missing, with why. */
export interface ToolStatus {
  readonly name: string;
  readonly path: string | undefined;
  /** Whether this run installed it. */
  readonly installed: boolean;
  /** Why it is missing. */
  readonly reason?: string;
}

function aptFailure(result: ReturnType<typeof spawnSync>, step: string): string {
  if (result.error) return `${step} could not run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`;
  const last = String(result.stderr ?? '')
    .trim()
    .split('\n')
    .slice(-1)[0];
  return `${step} failed with exit code ${result.status}${last ? `: ${last}` : ''}`;
}

/**
 * Find each tool on `path`; when some are missing and `install` is set, run
 * `apt-get update` once and `apt-get install -y` for them (root on Debian).
 * A tool still missing after that is reported missing with the reason.
 */
export function ensureTools(
  tools: readonly Tool[],
  options: { install: boolean; path: string; progress: (line: string) => void },
): Map<string, ToolStatus> {
  const out = new Map<string, ToolStatus>();
  const missing = tools.filter((t) => findExecutable(t.binary, options.path) === undefined);
  let installError: string | undefined;
  if (missing.length > 0 && options.install) {
    const aptGet = findExecutable('apt-get', options.path);
    if (aptGet === undefined) installError = 'apt-get not found (not a Debian system?)';
    else if (typeof process.getuid === 'function' && process.getuid() !== 0) installError = 'apt-get install needs root';
    else {
      const packages = missing.map((t) => t.aptPackage);
      options.progress(`installing from Debian: ${packages.join(' ')}`);
      const env = { ...process.env, PATH: options.path, DEBIAN_FRONTEND: 'noninteractive' };
      const update = spawnSync(aptGet, ['update', '-qq'], { env, encoding: 'utf8', timeout: 300_000 });
      if (update.status !== 0) installError = aptFailure(update, 'apt-get update');
      else {
        const install = spawnSync(aptGet, ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
          env,
          encoding: 'utf8',
          timeout: 600_000,
        });
        if (install.status !== 0) installError = aptFailure(install, `apt-get install ${packages.join(' ')}`);
      }
    }
  }
  for (const tool of tools) {
    const path = findExecutable(tool.binary, options.path);
    const wasMissing = missing.includes(tool);
    if (path !== undefined) out.set(tool.name, { name: tool.name, path, installed: wasMissing });
    else {
      const reason = options.install
        ? `not installed and apt-get could not install ${tool.aptPackage}: ${installError ?? 'the package did not provide it'}`
        : `not installed (${tool.binary} not on PATH; --no-install given)`;
      out.set(tool.name, { name: tool.name, path: undefined, installed: false, reason });
    }
  }
  return out;
}

/** First line of a tool's version output, trimmed to the version-ish part. */
export function toolVersion(path: string, args: readonly string[], pattern: RegExp): string | undefined {
  const result = spawnSync(path, args, { encoding: 'utf8', timeout: 10_000 });
  const text = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  return pattern.exec(text)?.[1];
}
