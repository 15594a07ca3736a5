import { describe, expect, it } from 'vitest';
import { undeclaredHelpFlags } from '../src/help-flags.js';

const HELP = `vault-provision plan

Options:
      --version                Show version number  [boolean]
      --upstream, --vault-url  vault origin [env VAULT_PROXY_UPSTREAM]  [string]
      --ca-file                extra CA  [string]
  -h, --help                   Show help  [boolean]

Environment (a flag wins over its variable; secrets are read from here only, argv is visible in ps):
  VAULT_PROXY_UPSTREAM  vault origin [flag --upstream] [default: https://vault.raxx.app]
  VAULT_PROXY_CA_FILE   extra CA [flag --ca-file] [default: (none)]
  CF_ACCESS_CLIENT_SECRET  service-token secret (environment only) [default: (required)]
`;

describe('undeclaredHelpFlags', () => {
  it('finds nothing when every advertised flag is declared, aliases and short forms included', () => {
    expect(undeclaredHelpFlags(HELP)).toEqual([]);
    expect(undeclaredHelpFlags(HELP.replace('[flag --upstream]', '[flag --vault-url]'))).toEqual([]);
  });

  it('names each flag the Environment section advertises but the options list lacks', () => {
    const help = HELP.replace('[flag --ca-file]', '[flag --ca-file] [flag --port]').replace(
      'CF_ACCESS_CLIENT_SECRET',
      'INFISICAL_PROJECT_ID  the project [flag --project-id]\n  CF_ACCESS_CLIENT_SECRET',
    );
    expect(undeclaredHelpFlags(help)).toEqual(['--port', '--project-id']);
  });

  it('does not count a flag mentioned only in the Environment section as declared', () => {
    const help = HELP.replace('      --ca-file                extra CA  [string]\n', '');
    expect(undeclaredHelpFlags(help)).toEqual(['--ca-file']);
  });

  it('throws on a help without an Environment section, so a check cannot pass by finding nothing', () => {
    expect(() => undeclaredHelpFlags('Options:\n  --help  Show help\n')).toThrow(/Environment/);
  });
});
