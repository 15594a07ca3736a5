export { type DoctorOptions, RUNBOOK_PROJECT_ID } from './doctor-options.js';
export type { DoctorCheck, DoctorCheckId, DoctorReport, FailureMode } from './doctor-report.js';
export {
  type EmergencyStopFailure,
  type EmergencyStopMcp,
  type EmergencyStopOptions,
  type EmergencyStopPidFile,
  type EmergencyStopProxy,
  type EmergencyStopResult,
  emergencyStop,
} from './emergency-stop.js';
export type { IdentityInUse, IdentityInUseOptions } from './identity-in-use.js';
export { runDoctor } from './run-doctor.js';
