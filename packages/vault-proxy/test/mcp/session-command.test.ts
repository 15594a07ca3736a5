import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { credentialExportLines, sessionCommand, shellQuote } from '../../src/mcp/index.js';
import { SecretValue } from '../../src/secret-value.js';

/** What bash prints after `eval` of `lines` (no profile, no rc, an environment of PATH only). */
function evalInBash(lines: readonly string[]): string {
  const script = `eval "$1"; printf '%s\\0%s' "$INFISICAL_MCP_CLIENT_ID" "$INFISICAL_MCP_CLIENT_SECRET"`;
  const env = { PATH: process.env.PATH };
  return execFileSync('bash', ['--noprofile', '--norc', '-c', script, 'bash', lines.join('\n')], { encoding: 'utf8', env });
}

const NASTY = ["it's", 'a b', '$HOME `id` $(id)', 'back\\slash', 'new\nline', '"double"', '', '--flag', '*', 'é ünïcode', "'"];

describe('shellQuote and credentialExportLines', () => {
  it('leave plain words alone and quote anything a shell would read', () => {
    expect(shellQuote('infisical-identity-mcp-x')).toBe('infisical-identity-mcp-x');
    expect(shellQuote('/MooseQuest/identities/x')).toBe('/MooseQuest/identities/x');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe(`''`);
  });

  it('export lines that eval in bash give back exactly the values, whatever they hold', () => {
    for (const value of NASTY) {
      const lines = credentialExportLines({ clientId: new SecretValue(`id ${value}`), clientSecret: new SecretValue(value) });
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^export INFISICAL_MCP_CLIENT_ID=/);
      expect(lines[1]).toMatch(/^export INFISICAL_MCP_CLIENT_SECRET=/);
      expect(evalInBash(lines).split('\0'), JSON.stringify(value)).toEqual([`id ${value}`, value]);
    }
  });
});

describe('sessionCommand', () => {
  const identity = { identityName: 'infisical-identity-mcp-billing-bot', agentName: 'billing-bot' };

  it('names the identity and leaves defaults out', () => {
    expect(sessionCommand(identity)).toBe(
      'enable-vault-mcp session --identity-name infisical-identity-mcp-billing-bot --agent-name billing-bot',
    );
    expect(
      sessionCommand({ ...identity, environment: 'prod', credsPath: '/MooseQuest/identities/infisical-identity-mcp-billing-bot/' }),
    ).toBe(sessionCommand(identity));
    expect(sessionCommand({ ...identity, root: '/MooseQuest', client: 'claude' })).toBe(sessionCommand(identity));
  });

  it('names a folder, environment, root, client, directory and port that are not the defaults, quoted', () => {
    expect(sessionCommand({ ...identity, environment: 'dev', root: '/Team', client: 'cursor', dir: '/home/me/my repo', port: 2020 })).toBe(
      "enable-vault-mcp session --identity-name infisical-identity-mcp-billing-bot --agent-name billing-bot --environment dev --creds-path /Team/identities/infisical-identity-mcp-billing-bot --client cursor --dir '/home/me/my repo' --port 2020",
    );
    expect(sessionCommand({ identityName: 'x', manifest: '/etc/rotation.json', agentName: 'ignored' })).toBe(
      'enable-vault-mcp session --identity-name x --manifest /etc/rotation.json',
    );
  });
});
