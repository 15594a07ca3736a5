import { createOutput } from '@raxx/cli-kit';

/** `vault-proxy`'s output helpers on the process streams, for the serve loop (which runs outside a command's context). */
export const { say, warn } = createOutput('vault-proxy');
