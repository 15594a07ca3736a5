import { formatNumber } from './columns.js';
import type { GoalCheck, GoalResult } from './report-types.js';

function value(result: GoalResult, unit: string): string {
  if (result.value === null) return '–';
  const figure = `${formatNumber(result.value, 2)} ${unit}`;
  return result.note === undefined ? figure : `${figure} (${result.note})`;
}

function met(result: GoalResult): string {
  return result.met === null ? 'not measured' : result.met ? 'yes' : 'no';
}

/** The targets table: the proxy's figure and whether it meets each target, and the candidate's beside it when measured. */
export function renderGoals(goals: readonly GoalCheck[]): string {
  const withCandidate = goals.some((g) => g.candidate !== undefined);
  const lines = [
    '### Targets (ratios to nginx from this run)',
    '',
    withCandidate ? '| target | proxy | met | candidate | met |' : '| target | proxy | met |',
    withCandidate ? '| --- | ---: | :---: | ---: | :---: |' : '| --- | ---: | :---: |',
  ];
  for (const g of goals) {
    const cells = [g.goal, value(g, g.unit), met(g)];
    if (withCandidate) {
      const c = g.candidate ?? { value: null, met: null };
      cells.push(value(c, g.unit), met(c));
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
