export { operatorDirectory, resolveOperatorPath } from '../files/operator-directory.js';
export {
  defaultPidFile,
  inspectPidFile,
  listPidFiles,
  logFileFor,
  PID_FILE_ENV,
  type PidFileContent,
  type PidFileReading,
  pidDirectory,
  type ResolvePidFileOptions,
  readPidFile,
  removePidFile,
  resolvePidFile,
  writePidFile,
} from './pid-file.js';
export { findPortHolder, type PortHolder } from './port-holder.js';
export { explainPortInUse } from './port-in-use.js';
export { isVaultProxyProcess, VAULT_PROXY_PROCESS_MARKER } from './process-identity.js';
export { type ProcessTarget, type ProcessTargetOptions, resolveProcessTarget } from './process-target.js';
export { type FindVaultProxyProcessesOptions, findVaultProxyProcesses, type VaultProxyProcess } from './proxy-processes.js';
export { getProxyStatus, HEALTH_PATH, type ProxyStatus, type ProxyStatusOptions, type TokenRenewalReport } from './proxy-status.js';
export {
  type DeadPidFile,
  type FindRunningProxiesOptions,
  findRunningProxies,
  type ProxyClue,
  type RunningProxies,
  type RunningProxy,
} from './running-proxies.js';
export { type DetachedProxy, type StartDetachedOptions, startDetached } from './start-detached.js';
export { type StopOutcome, type StopProxyOptions, type StopProxyResult, stopProxy, stopVaultProxyProcess } from './stop-proxy.js';
export {
  type ApiStatusAnswer,
  classifyVaultStatus,
  type ProbeVaultStatusOptions,
  probeVaultStatus,
  VAULT_STATUS_PATH,
  type VaultStatus,
  type VaultStatusState,
} from './vault-status.js';
