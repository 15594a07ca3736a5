import { hideBin } from 'yargs/helpers';
import { runCli } from './cli.js';

runCli(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
