import { hideBin } from 'yargs/helpers';
import { runCli } from './cli.js';
import { flushAndExit } from './output.js';

// Exit explicitly: a closed proxy may still hold idle keep-alive sockets for a moment.
runCli(hideBin(process.argv)).then(flushAndExit, () => flushAndExit(1));
