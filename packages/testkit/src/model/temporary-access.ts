import { badRequest } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_557_600_000 };

/** Parse an ms-style range ("1h", "7d", "30m"); undefined when invalid or not positive. @internal */
export function parseRange(range: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?$/.exec(range.trim());
  if (!m) return undefined;
  const value = Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1);
  return value > 0 ? value : undefined;
}

/** The temporary-access part of a membership role or privilege. @internal */
export interface TemporaryAccess {
  isTemporary: boolean;
  temporaryMode: string | null;
  temporaryRange: string | null;
  temporaryAccessStartTime: string | null;
  temporaryAccessEndTime: string | null;
}

/** Validate and compute the window of a temporary grant; `message` is the 400 Infisical sends when incomplete. @internal */
export function temporaryAccess(
  input: { isTemporary?: boolean; temporaryMode?: string; temporaryRange?: string; temporaryAccessStartTime?: string },
  message: string,
): TemporaryAccess {
  if (!input.isTemporary) {
    return { isTemporary: false, temporaryMode: null, temporaryRange: null, temporaryAccessStartTime: null, temporaryAccessEndTime: null };
  }
  const start = input.temporaryAccessStartTime ? Date.parse(input.temporaryAccessStartTime) : Number.NaN;
  const range = input.temporaryRange ? parseRange(input.temporaryRange) : undefined;
  if (Number.isNaN(start) || range === undefined) throw badRequest(message);
  return {
    isTemporary: true,
    temporaryMode: input.temporaryMode ?? 'relative',
    temporaryRange: input.temporaryRange ?? null,
    temporaryAccessStartTime: new Date(start).toISOString(),
    temporaryAccessEndTime: new Date(start + range).toISOString(),
  };
}
