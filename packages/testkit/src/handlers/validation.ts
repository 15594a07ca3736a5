import { type ValidationIssue, validationFailure } from '../errors.js';

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternMessage?: string;
}

interface NumberRule {
  min?: number;
  max?: number;
  int?: boolean;
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Reads request fields the way Infisical's zod schemas do and collects zod-like issues, so a
 * bad request becomes one 422 ValidationFailure listing every problem. `coerce` reads query
 * strings (numbers and booleans arrive as text).
 * @internal
 */
export class FieldReader {
  private readonly issues: ValidationIssue[] = [];

  constructor(
    private readonly source: Record<string, unknown>,
    private readonly coerce = false,
  ) {}

  /** A required (or defaulted) trimmed string. */
  str(key: string, rule: StringRule & { default?: string } = {}): string {
    return this.optStr(key, rule, true) ?? rule.default ?? '';
  }

  /** An optional trimmed string. */
  optStr(key: string, rule: StringRule & { default?: string } = {}, required = false): string | undefined {
    const raw = this.source[key];
    if (raw === undefined || raw === null) {
      if (rule.default !== undefined) return rule.default;
      if (required) this.addIssue(key, 'Required', 'invalid_type', { expected: 'string', received: typeName(raw) });
      return undefined;
    }
    if (typeof raw !== 'string') {
      this.addIssue(key, `Expected string, received ${typeName(raw)}`, 'invalid_type', { expected: 'string', received: typeName(raw) });
      return undefined;
    }
    const value = raw.trim();
    if (rule.min !== undefined && value.length < rule.min) {
      this.addIssue(key, `String must contain at least ${rule.min} character(s)`, 'too_small', { minimum: rule.min, type: 'string' });
    } else if (rule.max !== undefined && value.length > rule.max) {
      this.addIssue(key, `String must contain at most ${rule.max} character(s)`, 'too_big', { maximum: rule.max, type: 'string' });
    } else if (rule.pattern && !rule.pattern.test(value)) {
      this.addIssue(key, rule.patternMessage ?? 'Invalid', 'custom');
    }
    return value;
  }

  /** A number (coerced from a query string when reading a query). */
  num(key: string, rule: NumberRule & { default: number }): number;
  num(key: string, rule?: NumberRule): number | undefined;
  num(key: string, rule: NumberRule & { default?: number } = {}): number | undefined {
    let raw = this.source[key];
    if (raw === undefined || raw === null) return rule.default;
    if (this.coerce && typeof raw === 'string' && raw.trim() !== '') raw = Number(raw);
    if (typeof raw !== 'number' || Number.isNaN(raw)) {
      this.addIssue(key, `Expected number, received ${typeName(raw)}`, 'invalid_type', { expected: 'number', received: typeName(raw) });
      return rule.default;
    }
    if (rule.int && !Number.isInteger(raw)) this.addIssue(key, 'Expected integer, received float', 'invalid_type');
    else if (rule.min !== undefined && raw < rule.min)
      this.addIssue(key, `Number must be greater than or equal to ${rule.min}`, 'too_small', { minimum: rule.min, type: 'number' });
    else if (rule.max !== undefined && raw > rule.max)
      this.addIssue(key, `Number must be less than or equal to ${rule.max}`, 'too_big', { maximum: rule.max, type: 'number' });
    return raw;
  }

  /** A boolean (`"true"`/`"false"` in a query). */
  bool(key: string, fallback: boolean): boolean {
    const raw = this.source[key];
    if (raw === undefined || raw === null) return fallback;
    if (typeof raw === 'boolean') return raw;
    if (this.coerce && (raw === 'true' || raw === 'false')) return raw === 'true';
    this.addIssue(key, `Expected boolean, received ${typeName(raw)}`, 'invalid_type', { expected: 'boolean', received: typeName(raw) });
    return fallback;
  }

  /** The raw value, for fields with their own structure. */
  raw(key: string): unknown {
    return this.source[key];
  }

  addIssue(path: string | ReadonlyArray<string | number>, message: string, code = 'custom', extra: Record<string, unknown> = {}): void {
    this.issues.push({ code, ...extra, path: typeof path === 'string' ? [path] : path, message });
  }

  /** Throw the 422 if anything was wrong. */
  check(): void {
    if (this.issues.length > 0) throw validationFailure(this.issues);
  }
}
