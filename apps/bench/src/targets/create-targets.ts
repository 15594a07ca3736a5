import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PeerName, ResolvedBenchOptions } from '../options.js';
import type { TargetReport } from '../report/report-types.js';
import type { ToolStatus } from '../system/install.js';
import { directTarget } from './direct.js';
import { peerTarget } from './peers.js';
import { type ProxyBuild, proxyTarget } from './proxy.js';
import { candidateBuild, installedBuild } from './proxy-builds.js';
import type { Target } from './target.js';

/** The targets that can run, and a report line for every target asked for (missing ones say why). */
export interface CreatedTargets {
  readonly targets: readonly Target[];
  readonly reports: readonly TargetReport[];
  /** The proxy builds among the targets, by name (for the report's settings). */
  readonly builds: Readonly<Partial<Record<ProxyBuild['name'], ProxyBuild>>>;
}

/** Build a {@link Target} for each of `options.targets`. */
export function createTargets(options: ResolvedBenchOptions, tools: ReadonlyMap<string, ToolStatus>): CreatedTargets {
  const runnerBuilt = existsSync(fileURLToPath(new URL('./proxy-runner.js', import.meta.url)));
  const targets: Target[] = [];
  const reports: TargetReport[] = [];
  const builds: Partial<Record<ProxyBuild['name'], ProxyBuild>> = {};
  for (const name of options.targets) {
    let target: Target | undefined;
    let reason: string | undefined;
    if (name === 'direct') target = directTarget();
    else if (name === 'proxy' || name === 'candidate') {
      if (!runnerBuilt) reason = 'dist/proxy-runner.js not built (run the build first)';
      else {
        // resolveBenchOptions lets `candidate` through only with a module.
        const build = name === 'proxy' ? installedBuild() : candidateBuild(options.proxyModule as string);
        builds[name] = build;
        target = proxyTarget(build);
      }
    } else {
      const status = tools.get(name as PeerName);
      if (status?.path !== undefined) target = peerTarget(name as PeerName, status.path);
      else reason = status?.reason ?? 'not installed';
    }
    if (target) {
      targets.push(target);
      reports.push({ name, status: 'ok', ...(target.version === undefined ? {} : { version: target.version }) });
    } else reports.push({ name, status: 'missing', reason: reason ?? 'not available' });
  }
  return { targets, reports, builds };
}
