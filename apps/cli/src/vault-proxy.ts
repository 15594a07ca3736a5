import { runMain } from '@raxx/cli-kit';
import { runStartDirect } from './start-direct.js';

// `start` with plain flags skips the full parser (see start-direct.ts); everything else loads it.
runMain(async (args) => (await runStartDirect(args)) ?? (await import('./cli.js')).runCli(args));
