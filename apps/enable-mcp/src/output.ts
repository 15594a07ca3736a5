import { VaultProxyError } from '@raxx/vault-proxy';

/** Where the CLI writes and what it reads; injectable so tests run it in-process. */
export interface CliIo {
  /** One line to standard output. */
  out(line: string): void;
  /** One line to standard error. */
  err(line: string): void;
  /** The environment (`INIT_CWD`, `VAULT_PROXY_PORT`, the variables `check` reports on). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process streams and environment. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

/** A check mark or a cross. */
export function mark(ok: boolean): string {
  return ok ? '✔' : '✖';
}

/** A result object as pretty JSON. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** An error for people (message and hint), or for machines with `--json`. */
export function printError(io: CliIo, error: unknown, json: boolean): void {
  const known = error instanceof VaultProxyError;
  const message = known ? error.message : 'unexpected error; run again with a clean checkout or report it.';
  const hint = known && typeof error.details.hint === 'string' ? error.details.hint : undefined;
  if (json) {
    io.out(JSON.stringify({ ok: false, error: { code: known ? error.code : 'UNEXPECTED', message } }, null, 2));
    return;
  }
  io.err(`enable-vault-mcp: error: ${message}`);
  if (hint && !message.includes(hint)) io.err(`  fix: ${hint}`);
}
