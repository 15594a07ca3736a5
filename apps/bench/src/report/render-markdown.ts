import { COLUMNS, type Column, escapeCell, formatNumber } from './columns.js';
import { renderCandidate } from './render-candidate.js';
import { renderComparison } from './render-comparison.js';
import { renderGoals } from './render-goals.js';
import type { BenchReport, ScenarioReport, ScenarioRow } from './report-types.js';

function ratioMarks(row: ScenarioRow, column: Column): string[] {
  const marks: string[] = [];
  const n = row.ratios.toNginx[column.key];
  const d = row.ratios.toDirect[column.key];
  // Only the candidate is read against the proxy; on other rows pR would be noise in the table.
  const p = row.target === 'candidate' ? row.ratios.toProxy?.[column.key] : undefined;
  if (row.target !== 'nginx' && n !== undefined && n !== null) marks.push(`n${n.toFixed(2)}`);
  if (row.target !== 'direct' && d !== undefined && d !== null) marks.push(`d${d.toFixed(2)}`);
  if (p !== undefined && p !== null) marks.push(`p${p.toFixed(2)}`);
  return marks;
}

function cell(row: ScenarioRow, column: Column): string {
  const value = row.metrics[column.key];
  if (value === undefined) return '–';
  const marks = ratioMarks(row, column);
  return marks.length === 0 ? formatNumber(value, column.digits) : `${formatNumber(value, column.digits)} (${marks.join(' ')})`;
}

/** One scenario as a Markdown table: a row per target, each figure with its ratios. */
export function renderScenario(scenario: ScenarioReport): string {
  const columns = COLUMNS[scenario.name];
  const lines = [
    `### ${scenario.name} — ${scenario.description}`,
    '',
    `| target | ${columns.map((c) => c.label).join(' | ')} |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} |`,
  ];
  for (const row of scenario.rows) {
    const name = row.status === 'ok' ? row.target : `${row.target} (${row.status}${row.reason ? `: ${escapeCell(row.reason)}` : ''})`;
    const cells = row.status === 'ok' ? columns.map((c) => cell(row, c)) : columns.map(() => '–');
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
    if (row.status === 'ok' && row.reason) lines.push(`| ↳ ${escapeCell(row.reason)} | ${columns.map(() => '').join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * The whole report as Markdown: settings, a table per scenario, the targets,
 * the candidate A/B and the change against an earlier run (when measured),
 * and the machine.
 */
export function renderMarkdown(report: BenchReport): string {
  const s = report.settings;
  const m = report.machine;
  const out: string[] = [];
  out.push(
    `Run ${report.startedAt} → ${report.finishedAt}${s.quick ? ' (**--quick smoke run: figures mean nothing**)' : ''}. ` +
      `${s.repetitions} interleaved pass(es); ${s.quick ? 'each load run a handful of requests' : `each load run ${s.durationSec} s after ${s.warmupSec} s warm-up${s.warmupRuns > 1 ? ` in ${s.warmupRuns} runs, each with new connections` : ''}`}; figures are medians over passes. ` +
      `Cells read \`value (nR dR)\`: nR = ratio to nginx's figure, dR = ratio to direct's` +
      `${s.candidate === undefined ? '' : "; on the candidate's row pR = ratio to the proxy's"}.`,
    '',
  );
  for (const scenario of report.scenarios) out.push(renderScenario(scenario), '');
  out.push(renderGoals(report.goals), '');
  if (report.candidate !== undefined) out.push(renderCandidate(report.candidate), '');
  if (report.comparison !== undefined) out.push(renderComparison(report.comparison), '');
  out.push(
    '### Machine and setup',
    '',
    `- CPU: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB; ${m.os}, kernel ${m.kernel}; node ${m.node}`,
    `- Load average (1 min) at start / end: ${m.loadAverage.start.toFixed(2)} / ${m.loadAverage.end.toFixed(2)}`,
    `- Cores: ${report.cpuPlan.description}`,
    `- Load generator: ${report.loader.name} ${report.loader.version}`,
    `- Targets: ${report.targets.map((t) => `${t.name} ${t.status === 'ok' ? (t.version ?? '') : `(missing: ${t.reason ?? ''})`}`.trim()).join('; ')}`,
    `- direct: ${s.direct}`,
    `- proxy: ${s.proxy}; cold start through ${s.proxyColdStart}`,
    ...(s.candidate === undefined
      ? []
      : [`- candidate: \`${s.candidate.module}\` the same way; cold start through ${s.candidate.coldStart}`]),
    `- Access logs: ${s.accessLog ? 'on for every target (proxy at info, peers to a file)' : 'off for every target'}; upstream pool / keep-alive idle connections: ${s.poolSize}`,
    `- Sizes: POST ${s.postBytes} bytes; stream ${s.streamBytes} bytes; handshake run ${s.handshakeRequests} requests`,
  );
  return out.join('\n');
}
