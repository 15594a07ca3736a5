import type { ScenarioName } from '../options.js';
import type { BenchReport, MetricName, ScenarioReport, ScenarioRow } from './report-types.js';

interface Column {
  readonly key: MetricName;
  readonly label: string;
  readonly digits: number;
}

const LOAD: readonly Column[] = [
  { key: 'requestsPerSec', label: 'req/s', digits: 0 },
  { key: 'p50Ms', label: 'p50 ms', digits: 2 },
  { key: 'p99Ms', label: 'p99 ms', digits: 2 },
  { key: 'addedP50Ms', label: '+p50 ms vs direct', digits: 2 },
  { key: 'addedP99Ms', label: '+p99 ms vs direct', digits: 2 },
  { key: 'peakRssMiB', label: 'peak RSS MiB', digits: 1 },
  { key: 'handshakes', label: 'TLS handshakes', digits: 0 },
];

/** The figures shown per scenario (the JSON report has them all). */
export const COLUMNS: Readonly<Record<ScenarioName, readonly Column[]>> = {
  'get-c1': LOAD,
  'get-c16': LOAD,
  'get-c128': LOAD,
  post: LOAD,
  stream: [
    { key: 'mibPerSec', label: 'MiB/s', digits: 0 },
    { key: 'peakRssMiB', label: 'peak RSS MiB', digits: 1 },
    { key: 'handshakes', label: 'TLS handshakes', digits: 0 },
  ],
  'cold-start': [
    { key: 'listenMs', label: 'to listening ms', digits: 1 },
    { key: 'firstOkMs', label: 'to first 200 ms', digits: 1 },
    { key: 'peakRssMiB', label: 'RSS MiB', digits: 1 },
  ],
  handshakes: [
    { key: 'requests', label: 'requests', digits: 0 },
    { key: 'handshakes', label: 'TLS handshakes', digits: 0 },
    { key: 'handshakesPer10k', label: 'per 10,000 requests', digits: 1 },
  ],
};

function number(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cell(row: ScenarioRow, column: Column): string {
  const value = row.metrics[column.key];
  if (value === undefined) return '–';
  const ratios: string[] = [];
  const n = row.ratios.toNginx[column.key];
  const d = row.ratios.toDirect[column.key];
  if (row.target !== 'nginx' && n !== undefined && n !== null) ratios.push(`n${n.toFixed(2)}`);
  if (row.target !== 'direct' && d !== undefined && d !== null) ratios.push(`d${d.toFixed(2)}`);
  return ratios.length === 0 ? number(value, column.digits) : `${number(value, column.digits)} (${ratios.join(' ')})`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
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

/** The whole report as Markdown: settings, a table per scenario, the §4 checks and the machine. */
export function renderMarkdown(report: BenchReport): string {
  const s = report.settings;
  const m = report.machine;
  const out: string[] = [];
  out.push(
    `Run ${report.startedAt} → ${report.finishedAt}${s.quick ? ' (**--quick smoke run: figures mean nothing**)' : ''}. ` +
      `${s.repetitions} interleaved pass(es); ${s.quick ? 'each load run a handful of requests' : `each load run ${s.durationSec} s after ${s.warmupSec} s warm-up`}; figures are medians over passes. ` +
      `Cells read \`value (nR dR)\`: nR = ratio to nginx's figure, dR = ratio to direct's.`,
    '',
  );
  for (const scenario of report.scenarios) out.push(renderScenario(scenario), '');
  out.push('### §4 targets (this proxy)', '', '| target | value | met |', '| --- | ---: | :---: |');
  for (const g of report.goals) {
    const value = g.value === null ? '–' : `${number(g.value, 2)} ${g.unit}`;
    out.push(`| ${g.goal} | ${value} | ${g.met === null ? 'not measured' : g.met ? 'yes' : 'no'} |`);
  }
  out.push(
    '',
    '### Machine and setup',
    '',
    `- CPU: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB; ${m.os}, kernel ${m.kernel}; node ${m.node}`,
    `- Load average (1 min) at start / end: ${m.loadAverage.start.toFixed(2)} / ${m.loadAverage.end.toFixed(2)}`,
    `- Cores: ${report.cpuPlan.description}`,
    `- Load generator: ${report.loader.name} ${report.loader.version}`,
    `- Targets: ${report.targets.map((t) => `${t.name} ${t.status === 'ok' ? (t.version ?? '') : `(missing: ${t.reason ?? ''})`}`.trim()).join('; ')}`,
    `- direct: ${s.direct}`,
    `- proxy: ${s.proxy}; cold start through ${s.proxyColdStart}`,
    `- Access logs: ${s.accessLog ? 'on for every target (proxy at info, peers to a file)' : 'off for every target'}; upstream pool / keep-alive idle connections: ${s.poolSize}`,
    `- Sizes: POST ${s.postBytes} bytes; stream ${s.streamBytes} bytes; handshake run ${s.handshakeRequests} requests`,
  );
  return out.join('\n');
}
