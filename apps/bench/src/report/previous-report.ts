import { readFileSync } from 'node:fs';
import { VaultProxyError } from '@raxx/vault-proxy';
import type { RowMetrics } from './report-types.js';

/** One row of an earlier report, as far as a comparison reads it. */
export interface PreviousRow {
  readonly target: string;
  readonly status: string;
  readonly reason?: string;
  readonly metrics: Partial<RowMetrics>;
}

/**
 * What `--compare` reads of an earlier JSON report (schema 1 or 2): its
 * figures, and the settings that make figures comparable or not.
 */
export interface PreviousRun {
  readonly schema: string;
  readonly startedAt: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly machine: Readonly<Record<string, unknown>>;
  readonly loader: Readonly<Record<string, unknown>>;
  readonly cpuPlan: Readonly<Record<string, unknown>>;
  readonly scenarios: readonly { readonly name: string; readonly rows: readonly PreviousRow[] }[];
}

/** An earlier run and the file it came from. */
export interface PreviousReport {
  readonly file: string;
  readonly run: PreviousRun;
}

function refuse(file: string, why: string): VaultProxyError {
  return new VaultProxyError('CONFIG_INVALID', `--compare ${file}: ${why}.`, { details: { field: '--compare' } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Only numbers count as figures; anything else in `metrics` is dropped. */
function figures(value: unknown): Partial<RowMetrics> {
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(record(value))) if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  return out as Partial<RowMetrics>;
}

/** Check the shape of a parsed report; throw naming what is wrong. */
export function parsePreviousRun(data: unknown, file: string): PreviousRun {
  if (!isRecord(data)) throw refuse(file, 'not a JSON object');
  if (typeof data.schema !== 'string' || !/^raxx-vault-proxy-bench\/\d+$/.test(data.schema)) {
    throw refuse(file, 'not a bench report (no "schema": "raxx-vault-proxy-bench/N"; write one with --json)');
  }
  if (!Array.isArray(data.scenarios)) throw refuse(file, 'has no "scenarios" list');
  const scenarios = data.scenarios.map((s, i) => {
    if (!isRecord(s) || typeof s.name !== 'string' || !Array.isArray(s.rows)) throw refuse(file, `scenario #${i + 1} has no name or rows`);
    const rows = s.rows.map((r, j): PreviousRow => {
      if (!isRecord(r) || typeof r.target !== 'string' || typeof r.status !== 'string') {
        throw refuse(file, `row #${j + 1} of ${s.name} has no target or status`);
      }
      return {
        target: r.target,
        status: r.status,
        ...(typeof r.reason === 'string' ? { reason: r.reason } : {}),
        metrics: figures(r.metrics),
      };
    });
    return { name: s.name, rows };
  });
  return {
    schema: data.schema,
    startedAt: typeof data.startedAt === 'string' ? data.startedAt : 'unknown',
    settings: record(data.settings),
    machine: record(data.machine),
    loader: record(data.loader),
    cpuPlan: record(data.cpuPlan),
    scenarios,
  };
}

/** Read and check an earlier run's `--json` report; a bad file throws `CONFIG_INVALID` naming `--compare`. */
export function loadPreviousReport(file: string): PreviousReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw refuse(file, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw refuse(file, 'is not JSON');
  }
  return { file, run: parsePreviousRun(data, file) };
}
