import { VaultProxyError } from '@raxx/vault-proxy';

/** One line to standard output. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** One line to standard error. */
export function warn(line: string): void {
  process.stderr.write(`vault-proxy: warning: ${line}\n`);
}

/** A result object as pretty JSON on standard output. */
export function sayJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A check mark or a cross. */
export function mark(ok: boolean): string {
  return ok ? '✔' : '✖';
}

/** An error for people: its message, and its hint when the message does not already hold it. */
export function printError(error: unknown): void {
  if (error instanceof VaultProxyError) {
    process.stderr.write(`vault-proxy: error: ${error.message}\n`);
    const hint = typeof error.details.hint === 'string' ? error.details.hint : undefined;
    if (hint && !error.message.includes(hint)) process.stderr.write(`  fix: ${hint}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`vault-proxy: unexpected error: ${message}\n`);
}

/** Let buffered output reach its pipe, then exit. */
export function flushAndExit(code: number): void {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
