import { hideBin } from 'yargs/helpers';
import { runProvision } from './cli.js';
import { flushAndExit } from './output.js';

// Exit explicitly: an in-process proxy or keep-alive sockets may linger for a moment after the work is done.
runProvision(hideBin(process.argv)).then(flushAndExit, () => flushAndExit(1));
