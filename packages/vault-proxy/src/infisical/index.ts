export type * from './api-types.js';
export type { InfisicalClientOptions } from './client-options.js';
export { createInfisicalClient, InfisicalClient } from './infisical-client.js';
