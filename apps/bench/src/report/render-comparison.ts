import { COLUMNS, type Column, escapeCell, formatNumber, formatVerdict } from './columns.js';
import type { Comparison, TargetChange } from './compare.js';
import { NOISE_BAND } from './figure-change.js';

function cell(row: TargetChange, column: Column): string {
  const change = row.figures[column.key];
  if (change === undefined) return '–';
  const notes = [change.ratio === null ? undefined : `×${change.ratio.toFixed(2)}`, formatVerdict(change.verdict) || undefined].filter(
    Boolean,
  );
  const moved = `${formatNumber(change.before, column.digits)} → ${formatNumber(change.after, column.digits)}`;
  return notes.length === 0 ? moved : `${moved} (${notes.join(' ')})`;
}

/** The `--compare` section: a table per scenario, each cell `before → now (×ratio verdict)`. */
export function renderComparison(comparison: Comparison): string {
  const p = comparison.previous;
  const lines = [
    '### Change against the previous run',
    '',
    `Previous: \`${p.file}\` (run ${p.startedAt}, ${p.schema}). Cells read \`before → now (×now÷before verdict)\`; ` +
      `a change within ±${NOISE_BAND * 100} % reads ≈. Figures of two runs also differ by the machine's moment: ratios within one run are firmer.`,
  ];
  if (comparison.differences.length > 0) lines.push('', `Settings that differ: ${comparison.differences.join('; ')}.`);
  for (const scenario of comparison.scenarios) {
    const columns = COLUMNS[scenario.name];
    lines.push(
      '',
      `#### ${scenario.name}`,
      '',
      `| target | ${columns.map((c) => c.label).join(' | ')} |`,
      `| --- | ${columns.map(() => '---:').join(' | ')} |`,
    );
    for (const row of scenario.rows) {
      const name =
        row.status === 'compared' ? row.target : `${row.target} (${row.status}${row.reason ? `: ${escapeCell(row.reason)}` : ''})`;
      lines.push(`| ${name} | ${columns.map((c) => cell(row, c)).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
