/** Environment variables as the package reads them: `process.env`, or a plain record in tests and libraries. */
export type Env = Readonly<Record<string, string | undefined>>;
