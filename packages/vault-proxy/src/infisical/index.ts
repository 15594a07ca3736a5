export type * from './api-types.js';
export type { InfisicalClientOptions } from './client-options.js';
export { createInfisicalClient, InfisicalClient } from './infisical-client.js';
export type { InfisicalEndpoints, PrivilegeSlugQuery } from './infisical-endpoints.js';
export { answerOf, type CallAnswer, credentialsRefusedOn, folderMissingOn, policyViolationOn } from './vault-answers.js';
