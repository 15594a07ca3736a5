export { agentKeyPrefix, slugify } from '../identity/identity-names.js';
export {
  isRotationDue,
  parseRotationManifest,
  type RotationManifest,
  type RotationManifestEntry,
  readRotationManifest,
  upsertManifestEntry,
  writeRotationManifest,
} from '../identity/rotation-manifest.js';
export type { VaultConnectionOptions } from './connection-options.js';
export { isValidSlug, type ScopeCheck, scopeMatches } from './guardrails.js';
export type { IdentityTargetOptions } from './identity-target.js';
export { type OnboardResult, onboardIdentity, planOnboarding } from './onboard.js';
export type { OnboardOptions, ProvisionCommonOptions } from './onboard-options.js';
export type { VerifyProbeOptions } from './probe-options.js';
export type { RunMode } from './provision-run.js';
export {
  type RotateDueEntry,
  type RotateDueOptions,
  type RotateDueResult,
  type RotateOptions,
  type RotateResult,
  rotateClientSecret,
  rotateDue,
} from './rotate.js';
export type { IdentityRunResult } from './step-report.js';
export {
  ONBOARD_STEPS,
  ROTATE_STEPS,
  type StepId,
  type StepListener,
  type StepReport,
  type StepStatus,
  VERIFY_STEPS,
} from './step-report.js';
export type { VerifyCheck, VerifyCheckName, VerifyResult } from './verify-checks.js';
export { type VerifyIdentityResult, type VerifyOptions, verifyIdentity } from './verify-identity.js';
