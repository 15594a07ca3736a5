export { type DoctorOptions, RUNBOOK_PROJECT_ID } from './doctor-options.js';
export type { DoctorCheck, DoctorCheckId, DoctorReport, FailureMode } from './doctor-report.js';
export { type EmergencyStopFailure, type EmergencyStopOptions, type EmergencyStopResult, emergencyStop } from './emergency-stop.js';
export { runDoctor } from './run-doctor.js';
