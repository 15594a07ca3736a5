import { runMain } from '@raxx/cli-kit';
import { runProvision } from './cli.js';

// Exits explicitly: an in-process proxy or keep-alive sockets may linger for a moment after the work is done.
runMain(runProvision);
