import { isLoopbackHost } from '../connection/host-names.js';
import { checkFolderPath, checkSecretKey, refuse } from './guardrails.js';

/** How `verify` probes the new identity's access (runbook Step 10). */
export interface VerifyProbeOptions {
  /** URL of a running proxy to verify through. Default: start one in-process on an ephemeral loopback port. */
  proxyUrl?: string;
  /** Key of a secret inside the scope to read (expect 200). Default: the first secret the admin finds in the scope. */
  probeKey?: string;
  /** Folder of `probeKey`. Default: the folder where that first secret was found. */
  probePath?: string;
  /** A folder outside the scope to read from (expect 403). Default `/MooseQuest/cloudflare` (the runbook's), or another path outside the scope. */
  outOfScopePath?: string;
}

/** Probe options after validation. @internal */
export interface ResolvedProbes {
  readonly proxyUrl: string | undefined;
  readonly probeKey: string | undefined;
  readonly probePath: string | undefined;
  readonly outOfScopePath: string | undefined;
}

/** Validate probe options; throws `PROVISION_REFUSED` naming the field. @internal */
export function resolveProbes(options: VerifyProbeOptions): ResolvedProbes {
  let proxyUrl: string | undefined;
  if (options.proxyUrl !== undefined) {
    const url = URL.canParse(options.proxyUrl) ? new URL(options.proxyUrl) : undefined;
    if (url?.protocol !== 'http:' || !isLoopbackHost(url.hostname) || url.pathname !== '/' || url.search) {
      throw refuse('proxyUrl', 'must be a loopback http origin', 'For example http://127.0.0.1:2019.');
    }
    proxyUrl = url.origin;
  }
  if (options.probePath !== undefined && options.probeKey === undefined) {
    throw refuse('probePath', 'needs probeKey too', 'Pass --probe-key with --probe-path.');
  }
  return {
    proxyUrl,
    probeKey: options.probeKey === undefined ? undefined : checkSecretKey(options.probeKey, 'probeKey'),
    probePath: options.probePath === undefined ? undefined : checkFolderPath(options.probePath, 'probePath', true),
    outOfScopePath: options.outOfScopePath === undefined ? undefined : checkFolderPath(options.outOfScopePath, 'outOfScopePath', true),
  };
}
