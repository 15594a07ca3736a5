import { VaultProxyError } from '@raxx/vault-proxy';
import { describe, expect, it } from 'vitest';
import { createOutput, mark } from '../src/cli-output.js';
import { captureIo } from './support.js';

describe('createOutput', () => {
  it('says lines, pretty JSON and prefixed warnings on the right stream', () => {
    const io = captureIo();
    const out = createOutput('vault-provision', io);
    out.say('one');
    out.say();
    out.sayJson({ ok: true, n: [1] });
    out.warn('binding 0.0.0.0');
    expect(io.stdout).toEqual(['one', '', '{\n  "ok": true,\n  "n": [\n    1\n  ]\n}']);
    expect(io.stderr).toEqual(['vault-provision: warning: binding 0.0.0.0']);
  });

  it('prints the fix hint only when the message does not already hold it', () => {
    const io = captureIo();
    const out = createOutput('x', io);
    out.printError(new VaultProxyError('CONFIG_INVALID', 'Port is taken.', { details: { hint: 'Use another port.' } }));
    out.printError(new VaultProxyError('CONFIG_INVALID', 'Port is taken. Use another port.', { details: { hint: 'Use another port.' } }));
    out.printError(new VaultProxyError('NOT_RUNNING', 'Not running.'));
    expect(io.stderr).toEqual([
      'x: error: Port is taken.',
      '  fix: Use another port.',
      'x: error: Port is taken. Use another port.',
      'x: error: Not running.',
    ]);
    expect(io.stdout).toEqual([]);
  });

  it('puts app lines before and after the hint; a foreign error gets neither, only its name', () => {
    const io = captureIo();
    const out = createOutput('x', io);
    const extras = { before: ['  flag: --scope'], after: ['  ✖ write: expected 403, got 200'] };
    out.printError(new VaultProxyError('PROVISION_REFUSED', 'Too broad.', { details: { hint: 'Narrow it.' } }), extras);
    expect(io.stderr).toEqual(['x: error: Too broad.', '  flag: --scope', '  fix: Narrow it.', '  ✖ write: expected 403, got 200']);
    io.stderr.length = 0;
    out.printError(new TypeError('canary-3f1d'), extras);
    expect(io.stderr).toEqual(['x: unexpected error (TypeError)']);
  });

  it('marks ok and not ok', () => {
    expect([mark(true), mark(false)]).toEqual(['✔', '✖']);
  });
});
