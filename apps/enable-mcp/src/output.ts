import { createOutput, type CliIo as KitIo, processIo as kitProcessIo } from '@raxx/cli-kit';
import { VaultProxyError } from '@raxx/vault-proxy';

export { mark } from '@raxx/cli-kit';

/** Where the CLI writes and what it reads; injectable so tests run it in-process. */
export interface CliIo extends KitIo {
  /** The environment (`INIT_CWD`, `VAULT_PROXY_PORT`, the variables `check` reports on). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process streams and environment. */
export const processIo: CliIo = { ...kitProcessIo, env: process.env };

const NAME = 'enable-vault-mcp';

/** A result object as pretty JSON. */
export function printJson(io: CliIo, value: unknown): void {
  createOutput(NAME, io).sayJson(value);
}

/** An error for people (message and hint), or for machines with `--json`. */
export function printError(io: CliIo, error: unknown, json: boolean): void {
  if (json) {
    const known = error instanceof VaultProxyError;
    const message = known ? error.message : 'unexpected error; run again with a clean checkout or report it.';
    printJson(io, { ok: false, error: { code: known ? error.code : 'UNEXPECTED', message } });
  } else {
    createOutput(NAME, io).printError(error);
  }
}
