export {
  defaultPidFile,
  logFileFor,
  PID_FILE_ENV,
  type PidFileContent,
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
export { type ApiStatusAnswer, getProxyStatus, HEALTH_PATH, type ProxyStatus, type ProxyStatusOptions } from './proxy-status.js';
export { type DetachedProxy, type StartDetachedOptions, startDetached } from './start-detached.js';
export { type StopProxyOptions, type StopProxyResult, stopProxy } from './stop-proxy.js';
