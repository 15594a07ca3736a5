/** The model's clock: a base time source plus an offset tests move forward. @internal */
export interface Clock {
  now(): number;
  iso(): string;
  advance(ms: number): void;
}

/** @internal */
export function createClock(base: () => number = Date.now): Clock {
  let offset = 0;
  const now = () => base() + offset;
  return {
    now,
    iso: () => new Date(now()).toISOString(),
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advanceTime expects a non-negative number of milliseconds');
      offset += ms;
    },
  };
}
