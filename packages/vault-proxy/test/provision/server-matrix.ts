import { SERVER_PROFILES, type ServerProfile } from '@raxx/vault-testkit';
import { beforeEach, describe } from 'vitest';
import type { MswVault } from '../infisical/msw-vault.js';

/**
 * Run `body`'s tests once per Infisical server profile (`current`, `legacy`): each test gets a
 * fresh model answering as that build. Call inside a file that installed {@link MswVault}.
 */
export function describeEachServer(vault: MswVault, title: string, body: (server: ServerProfile) => void): void {
  describe.each(SERVER_PROFILES)(`${title} — %s server`, (server) => {
    beforeEach(() => vault.reset({ server }));
    body(server);
  });
}
