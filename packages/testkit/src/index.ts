export { createTestCertificates, type TestCertificates } from './certificates.js';
export { createVaultHandlers, type VaultHandlersOptions } from './create-vault-handlers.js';
export { writeEnvFile } from './env-file.js';
export { type FakeVault, type FakeVaultOptions, type RecordedRequest, startFakeVault } from './fake-vault-server.js';
export { createFaultInjector, type FaultInjector, type FaultRule } from './fault-injector.js';
export { freePort } from './free-port.js';
export { undeclaredHelpFlags } from './help-flags.js';
export { REALISTIC_PERMISSION_CACHE_MS } from './model/permission-cache.js';
export type { PermissionRule } from './model/permissions.js';
export { DEFAULT_DETECTION_ENTROPY } from './model/secret-detection.js';
export { HIDDEN_SECRET_VALUE } from './model/secrets.js';
export { MCP_IDENTITY_NAME, type SeedSecret, type VaultSeed } from './model/seed.js';
export { SERVER_PROFILES, type ServerProfile } from './model/server-profile.js';
export type { SecretDetectionPolicy } from './model/store.js';
export {
  createVaultModel,
  type SecretRef,
  type ServerSettingsPatch,
  type VaultModel,
  type VaultModelOptions,
} from './model/vault-model.js';
export { type FleetProxy, type ProxyFleet, proxyFleet } from './proxy-fleet.js';
export {
  type RecordedExchange,
  type RecordingUpstream,
  type RecordingUpstreamOptions,
  startRecordingUpstream,
  type UpstreamAnomaly,
  type UpstreamConnection,
  type UpstreamResponder,
} from './recording/recording-upstream.js';
export { type ParsedRequest, type ParseStep, parseRequest } from './recording/strict-request-parser.js';
