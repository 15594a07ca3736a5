export { type CliIo, processIo } from './cli-io.js';
export { type CliOutput, createOutput, mark, type Outcome, type OutcomeLine, outcomeLines } from './cli-output.js';
export { envHelp, settingDescribe, settingDirectFlags, settingFlagFor, settingOptions, withSettingFlags } from './env-help.js';
export { describeError, type ErrorReport, type FlagNamer, flagOf } from './error-report.js';
export { operatorPath } from './operator-path.js';
export { packageVersion } from './package-version.js';
export { type CliCommand, type CliContext, type RunCliOptions, runCli } from './run-cli.js';
export { type DirectFlag, type RunDirectOptions, runDirect } from './run-direct.js';
export { flushAndExit, runMain } from './run-main.js';
