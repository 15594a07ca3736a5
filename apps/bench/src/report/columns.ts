import type { ScenarioName } from '../options.js';
import type { Verdict } from './figure-change.js';
import type { MetricName } from './report-types.js';

/** One figure shown in the Markdown tables. */
export interface Column {
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
  { key: 'cpuUsPerRequest', label: 'CPU µs/req', digits: 1 },
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
    { key: 'peakRssMiB', label: 'RSS at first 200 MiB', digits: 1 },
    { key: 'idleRssMiB', label: 'idle RSS MiB', digits: 1 },
  ],
  handshakes: [
    { key: 'requests', label: 'requests', digits: 0 },
    { key: 'handshakes', label: 'TLS handshakes', digits: 0 },
    { key: 'handshakesPer10k', label: 'per 10,000 requests', digits: 1 },
  ],
};

/** `1,234.5` style, with a fixed number of decimals. */
export function formatNumber(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A verdict as a table cell: `same` reads `≈`, a count with no direction reads nothing. */
export function formatVerdict(verdict: Verdict | null): string {
  return verdict === null ? '' : verdict === 'same' ? '≈' : verdict;
}

/** Escape a free text for a Markdown table cell. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
