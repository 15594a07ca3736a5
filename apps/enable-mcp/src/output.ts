import { type CliIo as KitIo, processIo as kitProcessIo } from '@raxx/cli-kit';

/** Where the CLI writes and what it reads; injectable so tests run it in-process. */
export interface CliIo extends KitIo {
  /** The environment (`INIT_CWD`, `VAULT_PROXY_PORT`, the variables `check` reports on). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process streams and environment. */
export const processIo: CliIo = { ...kitProcessIo, env: process.env };
