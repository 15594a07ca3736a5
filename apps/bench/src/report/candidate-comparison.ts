import type { ScenarioName } from '../options.js';
import { changesOf, type FigureChanges } from './figure-change.js';
import type { ScenarioReport } from './report-types.js';

/** The candidate build against the proxy in one scenario of one run. */
export interface CandidateScenario {
  readonly name: ScenarioName;
  /** `compared`, or why not (a row that did not measure). */
  readonly status: 'compared' | 'not compared';
  readonly reason?: string;
  /** Every figure both have: before = the proxy's, after = the candidate's; ratio = candidate ÷ proxy. */
  readonly figures: FigureChanges;
}

/** The A/B of `--proxy-module`: candidate vs proxy, measured interleaved in the same passes. */
export interface CandidateComparison {
  /** The candidate build's file. */
  readonly module: string;
  /** What makes a figure not like for like (e.g. different cold-start launchers). */
  readonly notes: readonly string[];
  readonly scenarios: readonly CandidateScenario[];
}

/** How a build's cold start was launched. */
export interface ColdLaunch {
  /** Through `vault-proxy start` (else the bench runner, which loads less). */
  readonly viaCli: boolean;
  readonly description: string;
}

/**
 * Candidate ÷ proxy for every figure of every scenario. The launchers say how
 * each cold start ran: they differ when the candidate is a lone file, which
 * cannot run behind `vault-proxy start`.
 */
export function compareCandidate(
  scenarios: readonly ScenarioReport[],
  module: string,
  launchers: { readonly proxy: ColdLaunch; readonly candidate: ColdLaunch },
): CandidateComparison {
  const notes: string[] = [];
  if (launchers.proxy.viaCli !== launchers.candidate.viaCli && scenarios.some((s) => s.name === 'cold-start')) {
    notes.push(
      `cold start is not like for like: proxy through ${launchers.proxy.description}, candidate through ${launchers.candidate.description}`,
    );
  }
  return {
    module,
    notes,
    scenarios: scenarios.map((scenario): CandidateScenario => {
      const proxy = scenario.rows.find((r) => r.target === 'proxy');
      const candidate = scenario.rows.find((r) => r.target === 'candidate');
      const unmeasured = [proxy, candidate].filter((r) => r?.status !== 'ok');
      if (proxy === undefined || candidate === undefined || unmeasured.length > 0) {
        const reason = unmeasured.map((r) => (r === undefined ? 'a row is absent' : `${r.target} ${r.status}`)).join(', ');
        return { name: scenario.name, status: 'not compared', reason, figures: {} };
      }
      return { name: scenario.name, status: 'compared', figures: changesOf(proxy.metrics, candidate.metrics) };
    }),
  };
}
