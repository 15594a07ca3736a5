/** Where a CLI writes its lines; injectable so tests run a CLI in-process. */
export interface CliIo {
  /** One line to standard output (the newline is added). */
  out(line: string): void;
  /** One line to standard error (the newline is added). */
  err(line: string): void;
}

/** The real process streams. */
export const processIo: CliIo = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
};
