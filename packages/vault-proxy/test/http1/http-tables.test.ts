import { METHODS, STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import { KNOWN_METHODS, STATUS_REASONS } from '../../src/http1/http-tables.js';

// The tables are written out so the proxy need not load node:http at start; they must stay Node's own.
describe('the HTTP tables', () => {
  it('know exactly the methods llhttp knows', () => {
    expect([...KNOWN_METHODS].sort()).toEqual([...METHODS].sort());
  });

  it('hold Node’s reason phrase for every status', () => {
    expect(Object.fromEntries(Object.entries(STATUS_REASONS))).toEqual({ ...STATUS_CODES });
  });
});
