import { SETTINGS } from '@raxx/vault-proxy/settings';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { envHelp, settingDescribe, settingFlagFor, settingOptions, withSettingFlags } from '../src/env-help.js';

describe('help and flags from the settings table', () => {
  it('lists every variable a tool reads, with its default; secrets say environment only', () => {
    const help = envHelp('vault-provision');
    for (const row of Object.values(SETTINGS)) {
      if (row.usedBy.includes('vault-provision')) expect(help).toContain(row.env);
      else expect(help).not.toContain(`${row.env} `);
    }
    expect(help).toContain('INFISICAL_CLIENT_SECRET');
    expect(help).not.toContain('[flag --client-secret]');
    expect(help).toContain('[default: https://vault.raxx.app]');
  });

  it('declares a flag per named setting that has one, and maps it back to the library option', async () => {
    const argv = await withSettingFlags(yargs([]), ['port', 'connectTo', 'cfAccessClientSecret']).parseAsync([
      '--port',
      '2020',
      '--connect-to',
      '127.0.0.1:8443',
    ]);
    expect(settingOptions(argv, ['port', 'connectTo', 'cfAccessClientSecret'])).toEqual({ port: '2020', connectTo: '127.0.0.1:8443' });
    expect(settingFlagFor('connectTo')).toBe('--connect-to');
    expect(settingFlagFor('cfAccessClientSecret')).toBeUndefined();
  });

  it('gives a flag declared by hand its variable and default from the table, never a literal', () => {
    expect(settingDescribe('port', 'proxy port the server talks to')).toBe(
      `proxy port the server talks to [env VAULT_PROXY_PORT] [default: ${SETTINGS.port.defaultText}]`,
    );
    expect(settingDescribe('probePath')).toBe(`${SETTINGS.probePath.help} [env VAULT_PROBE_PATH] [default: /MooseQuest/]`);
  });
});
