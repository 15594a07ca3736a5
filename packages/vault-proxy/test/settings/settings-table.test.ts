import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVaultProxyError } from '../../src/errors.js';
import { readSetting, requireSetting } from '../../src/settings/read-setting.js';
import { settingsMarkdownTable } from '../../src/settings/settings-markdown.js';
import { SETTINGS, settingRows } from '../../src/settings/settings-table.js';

const README = resolve(import.meta.dirname, '../../../../README.md');

describe('the settings table', () => {
  it('has one row per variable, one flag per name, and no flag for a secret', () => {
    const rows = settingRows();
    expect(new Set(rows.map((r) => r.env)).size).toBe(rows.length);
    const flags = rows.flatMap((r) => (r.flag ? [r.flag] : []));
    expect(new Set(flags).size).toBe(flags.length);
    for (const row of rows.filter((r) => r.secret)) expect(row.flag, row.env).toBeUndefined();
    for (const row of rows) expect(row.usedBy.length, row.env).toBeGreaterThan(0);
  });

  it('is the README’s configuration table, word for word', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf('<!-- settings:start -->');
    const end = readme.indexOf('<!-- settings:end -->');
    expect(start, 'README markers').toBeGreaterThan(-1);
    const table = readme.slice(start + '<!-- settings:start -->'.length, end).trim();
    // Cell padding is a formatter's business; the cells themselves must match.
    const cells = (text: string) =>
      text.split('\n').map((line) =>
        line
          .split('|')
          .map((c) => c.trim().replace(/^-+$/, '---'))
          .join('|'),
      );
    expect(cells(table), 'regenerate with `pnpm docs:settings`').toEqual(cells(settingsMarkdownTable()));
  });
});

describe('readSetting', () => {
  it('takes the option, then the variable (empty means unset), then the default', () => {
    expect(readSetting(SETTINGS.port, 2030, { VAULT_PROXY_PORT: '2020' })).toBe(2030);
    expect(readSetting(SETTINGS.port, undefined, { VAULT_PROXY_PORT: '2020' })).toBe(2020);
    expect(readSetting(SETTINGS.port, undefined, { VAULT_PROXY_PORT: ' ' })).toBe(2019);
    expect(readSetting(SETTINGS.port, '', {})).toBe(2019);
  });

  it('names the option or the variable at fault, with the problem apart, never the value', () => {
    const fromEnv = (() => {
      try {
        readSetting(SETTINGS.port, undefined, { VAULT_PROXY_PORT: 'planted-77' });
      } catch (e) {
        return e;
      }
    })();
    expect(isVaultProxyError(fromEnv, 'CONFIG_INVALID')).toBe(true);
    expect(fromEnv).toMatchObject({ details: { field: 'VAULT_PROXY_PORT', source: 'env', problem: 'must be an integer from 0 to 65535' } });
    expect(JSON.stringify(fromEnv) + String((fromEnv as Error).message)).not.toContain('planted-77');
    expect(() => readSetting(SETTINGS.logLevel, 'loud', {})).toThrow(/option `logLevel` must be one of debug, info, warn, error, silent/);
  });

  it('requireSetting names the variable of a missing value and keeps secrets wrapped', () => {
    expect(() => requireSetting(SETTINGS.adminClientSecret, undefined, {}, 'Export it.')).toThrow(
      /INFISICAL_CLIENT_SECRET is not set\. Export it\./,
    );
    const secret = requireSetting(SETTINGS.adminClientSecret, undefined, { INFISICAL_CLIENT_SECRET: ' s3cret ' }, 'x');
    expect(secret.reveal()).toBe('s3cret');
    expect(JSON.stringify({ secret })).not.toContain('s3cret');
  });
});
