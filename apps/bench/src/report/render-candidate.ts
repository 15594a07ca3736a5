import type { CandidateComparison } from './candidate-comparison.js';
import { COLUMNS, escapeCell, formatNumber, formatVerdict } from './columns.js';
import { NOISE_BAND } from './figure-change.js';

/** The A/B section: for every scenario and shown figure, proxy, candidate, candidate ÷ proxy and which is better. */
export function renderCandidate(ab: CandidateComparison): string {
  const lines = [
    '### Candidate vs proxy (A/B within this run)',
    '',
    `Candidate: \`${ab.module}\`, measured in the same passes as the proxy, interleaved with the other targets. ` +
      `Ratio = candidate ÷ proxy; a change within ±${NOISE_BAND * 100} % reads ≈ (repeat with more passes before trusting a small one).`,
    ...ab.notes.map((note) => `- Note: ${note}`),
    '',
    '| scenario | figure | proxy | candidate | candidate ÷ proxy | verdict |',
    '| --- | --- | ---: | ---: | ---: | :---: |',
  ];
  for (const scenario of ab.scenarios) {
    if (scenario.status !== 'compared') {
      lines.push(`| ${scenario.name} | not compared (${escapeCell(scenario.reason ?? '')}) | – | – | – | |`);
      continue;
    }
    for (const column of COLUMNS[scenario.name]) {
      const change = scenario.figures[column.key];
      if (change === undefined) continue;
      const ratio = change.ratio === null ? '–' : `×${change.ratio.toFixed(2)}`;
      lines.push(
        `| ${scenario.name} | ${column.label} | ${formatNumber(change.before, column.digits)} | ${formatNumber(change.after, column.digits)} | ${ratio} | ${formatVerdict(change.verdict)} |`,
      );
    }
  }
  return lines.join('\n');
}
