import type { CallSite } from './http-error.js';
import { responseInvalid } from './http-error.js';

type Json = Record<string, unknown>;
type Kind = { string: string; number: number; boolean: boolean };

/** The answer as an object, or `INFISICAL_RESPONSE_INVALID`. @internal */
export function object(data: unknown, site: CallSite, name = 'body'): Json {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw responseInvalid(site, name);
  return data as Json;
}

/** A nested object field, e.g. `{ identity: {...} }` → the identity. @internal */
export function child(data: unknown, key: string, site: CallSite): Json {
  return object(object(data, site)[key], site, key);
}

/** An array field. @internal */
export function list(data: unknown, key: string, site: CallSite): Json[] {
  const value = object(data, site)[key];
  if (!Array.isArray(value)) throw responseInvalid(site, key);
  return value.map((item, i) => object(item, site, `${key}[${i}]`));
}

/** A required scalar field of the given kind. @internal */
export function field<K extends keyof Kind>(data: Json, key: string, kind: K, site: CallSite): Kind[K] {
  const value = data[key];
  if (typeof value !== kind) throw responseInvalid(site, key);
  return value as Kind[K];
}

/** An optional string field. @internal */
export function optionalString(data: Json, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}
