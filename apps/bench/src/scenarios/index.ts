export type { CellContext, CellMetrics, CellResult, Scenario } from './cell.js';
export { LOAD_SCENARIOS } from './load-scenarios.js';
export { COLD_START_SCENARIO, HANDSHAKE_SCENARIO } from './start-scenarios.js';
export { STREAM_SCENARIO } from './stream-scenario.js';
