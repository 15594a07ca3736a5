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

  it('prints the message once and the fix hint on its own line, even when the message ends with it', () => {
    const io = captureIo();
    const out = createOutput('x', io);
    out.printError(new VaultProxyError('CONFIG_INVALID', 'Port is taken.', { details: { hint: 'Use another port.' } }));
    out.printError(new VaultProxyError('CONFIG_INVALID', 'Port is taken. Use another port.', { details: { hint: 'Use another port.' } }));
    out.printError(new VaultProxyError('NOT_RUNNING', 'Not running.'));
    expect(io.stderr).toEqual([
      'x: error: Port is taken.',
      '  fix: Use another port.',
      'x: error: Port is taken.',
      '  fix: Use another port.',
      'x: error: Not running.',
    ]);
    expect(io.stdout).toEqual([]);
  });

  it('puts app lines after the hint; a foreign error shows only its name', () => {
    const io = captureIo();
    const out = createOutput('x', io);
    out.printError(new VaultProxyError('PROVISION_REFUSED', 'Too broad.', { details: { hint: 'Narrow it.' } }), [
      '  ✖ write: expected 403, got 200',
    ]);
    expect(io.stderr).toEqual(['x: error: Too broad.', '  fix: Narrow it.', '  ✖ write: expected 403, got 200']);
    io.stderr.length = 0;
    out.printError(new TypeError('canary-3f1d'));
    expect(io.stderr).toEqual(['x: unexpected error (TypeError)']);
  });

  it('prints steps and checks one way: mark, title, detail, and a fix under anything but a pass', () => {
    const io = captureIo();
    const out = createOutput('x', io);
    out.outcome({ outcome: 'pass', title: 'A proxy running', detail: 'pid 12', fix: 'never shown' });
    out.outcome({ outcome: 'fail', title: 'B vault reachable', detail: '403 from Cloudflare', fix: 'Refresh the token.' });
    out.outcome({ outcome: 'skip', title: 'D read', detail: 'skipped: set VAULT_PROBE_KEY' });
    expect(io.stdout).toEqual([
      '✔ A proxy running: pid 12',
      '✖ B vault reachable: 403 from Cloudflare',
      '    fix: Refresh the token.',
      '– D read: skipped: set VAULT_PROBE_KEY',
    ]);
  });

  it('marks ok and not ok', () => {
    expect([mark(true), mark(false)]).toEqual(['✔', '✖']);
  });
});
