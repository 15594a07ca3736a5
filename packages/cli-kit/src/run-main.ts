/** Let buffered output reach its pipe, then exit with `code`. */
export function flushAndExit(code: number): void {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/**
 * The body of a bin: run `cli` on this process's arguments, then flush and
 * exit with its code (1 if it rejects). Exits explicitly: a closed server may
 * still hold idle keep-alive sockets for a moment.
 */
export function runMain(cli: (args: readonly string[]) => Promise<number>): void {
  // Not yargs' hideBin: loading yargs here would cost every command its load time (see run-direct.ts).
  cli(process.argv.slice(2)).then(flushAndExit, () => flushAndExit(1));
}
