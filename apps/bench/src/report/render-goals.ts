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

function passes(result: GoalResult): string {
  return result.passes === undefined ? '–' : `${result.passes.met} of ${result.passes.of}`;
}

/**
 * The targets table: the proxy's figure from the run's medians, whether it meets
 * each target, and in how many passes it does on its own (each against nginx's
 * pass of the same number); the candidate's beside it when measured.
 */
export function renderGoals(goals: readonly GoalCheck[]): string {
  const withCandidate = goals.some((g) => g.candidate !== undefined);
  const lines = [
    '### Targets (ratios to nginx from this run)',
    '',
    "`met` reads the run's medians; `passes` counts the passes that meet the target on their own, each against nginx's pass of the same number.",
    '',
    withCandidate ? '| target | proxy | met | passes | candidate | met | passes |' : '| target | proxy | met | passes |',
    withCandidate ? '| --- | ---: | :---: | :---: | ---: | :---: | :---: |' : '| --- | ---: | :---: | :---: |',
  ];
  for (const g of goals) {
    const cells = [g.goal, value(g, g.unit), met(g), passes(g)];
    if (withCandidate) {
      const c = g.candidate ?? { value: null, met: null };
      cells.push(value(c, g.unit), met(c), passes(c));
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
