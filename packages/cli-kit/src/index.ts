export { type CliIo, processIo } from './cli-io.js';
export { type CliOutput, createOutput, type ErrorExtras, mark } from './cli-output.js';
export { packageVersion } from './package-version.js';
export { type CliCommand, type RunCliOptions, runCli } from './run-cli.js';
export { flushAndExit, runMain } from './run-main.js';
