import type { InfisicalClient, Project, SecretRef } from '../infisical/index.js';
import type { ResolvedVaultConnection } from './connection-options.js';
import type { IdentityTarget } from './identity-target.js';
import type { ProvisionRun } from './provision-run.js';
import type { IdentityRunResult } from './step-report.js';

/** What earlier steps found, for later ones. Ids only, never a secret. @internal */
export interface RunState {
  project?: Project;
  identityId?: string;
  clientId?: string;
  /** Whether the credentials folder exists (false in plan mode when it would be created). */
  folderReady?: boolean;
  /** The client-secret id that is stored and works, after the client-secret step. */
  currentClientSecretId?: string;
  /** When that client secret was issued (ISO). */
  currentClientSecretIssuedAt?: string;
}

/** Everything a step body needs. @internal */
export interface StepContext {
  readonly run: ProvisionRun;
  /** The admin's direct client. */
  readonly client: InfisicalClient;
  readonly connection: ResolvedVaultConnection;
  readonly target: IdentityTarget;
  readonly state: RunState;
  readonly now: () => Date;
}

/** Where a stored credential key lives. @internal */
export function credentialRef(ctx: StepContext, secretKey: string): SecretRef {
  return {
    workspaceId: ctx.connection.projectId,
    environment: ctx.target.environment,
    secretPath: ctx.target.credsPath,
    secretKey,
  };
}

/** The state a step needs from an earlier one; a missing value means an earlier step did not run (a bug), not a vault state. @internal */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: ${what} unknown at this step`);
  return value;
}

/** The identity part of a run's result (steps and ids), once sign-in found the identity. @internal */
export function identityRunResult(ctx: StepContext): IdentityRunResult {
  return {
    steps: ctx.run.reports,
    identityId: need(ctx.state.identityId, 'identity'),
    clientId: need(ctx.state.clientId, 'client id'),
  };
}
