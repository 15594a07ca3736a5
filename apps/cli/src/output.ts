import { createOutput } from '@raxx/cli-kit';

export { mark } from '@raxx/cli-kit';

/** `say`, `sayJson`, `warn`, `printError` of `vault-proxy`, on the process streams. */
export const { say, sayJson, warn, printError } = createOutput('vault-proxy');
