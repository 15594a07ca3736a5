import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret held so that it cannot leak by accident: `String()`, template
 * literals, `JSON.stringify`, `util.inspect` and `console.log` all show
 * `[redacted]`. Only `reveal()` hands out the value, so every place that
 * uses it is easy to find.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw value. Call it only where the value is sent to its intended place. */
  reveal(): string {
    return this.#value;
  }

  /** Whether the value is the empty string. */
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
