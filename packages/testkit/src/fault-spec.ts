import type { FaultRule } from './fault-injector.js';

const METHOD = /^[A-Za-z]+$/;

function target(text: string): { method?: string; path: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length === 2 && METHOD.test(parts[0] ?? '') && parts[1]?.startsWith('/')) {
    return { method: (parts[0] as string).toUpperCase(), path: parts[1] };
  }
  if (parts.length === 1 && parts[0]?.startsWith('/')) return { path: parts[0] };
  throw new TypeError(`expected "[METHOD] /path-glob", got ${JSON.stringify(text)}`);
}

function splitTimes(text: string): { value: string; times?: number } {
  const m = /^(.*?)(?:x(\d+))?$/.exec(text.trim());
  const times = m?.[2] === undefined ? undefined : Number(m[2]);
  if (times !== undefined && times < 1) throw new TypeError(`repeat count must be at least 1 in ${JSON.stringify(text)}`);
  return { value: m?.[1] ?? '', ...(times !== undefined ? { times } : {}) };
}

function count(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new TypeError(`${what} must be an integer ${min}..${max}, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * Parse the `fake-vault` fault flags:
 * `--fail '[METHOD] /glob=STATUS[xN]'`, `--latency 'MS'` or `--latency '[METHOD] /glob=MS[xN]'`,
 * `--reset '[METHOD] /glob[=xN]'`.
 * @internal
 */
export function parseFaultSpec(kind: 'fail' | 'latency' | 'reset', spec: string): FaultRule {
  const eq = spec.lastIndexOf('=');
  if (kind === 'latency' && eq < 0 && /^\s*\d+\s*$/.test(spec)) {
    return { path: '/**', latencyMs: count(spec.trim(), 'latency', 0, 600_000) };
  }
  if (kind === 'reset') {
    const { value, times } = eq < 0 ? { value: '', times: undefined } : splitTimes(spec.slice(eq + 1));
    if (value !== '') throw new TypeError(`--reset takes "[METHOD] /glob[=xN]", got ${JSON.stringify(spec)}`);
    return { ...target(eq < 0 ? spec : spec.slice(0, eq)), reset: true, ...(times !== undefined ? { times } : {}) };
  }
  if (eq < 0) throw new TypeError(`--${kind} takes "[METHOD] /glob=VALUE", got ${JSON.stringify(spec)}`);
  const { value, times } = splitTimes(spec.slice(eq + 1));
  const rule: FaultRule = { ...target(spec.slice(0, eq)), ...(times !== undefined ? { times } : {}) };
  if (kind === 'fail') rule.status = count(value, 'status', 100, 599);
  else rule.latencyMs = count(value, 'latency', 0, 600_000);
  return rule;
}
