import { runMain } from '@raxx/cli-kit';
import { runCli } from './cli.js';

runMain(runCli);
