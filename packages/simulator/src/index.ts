/**
 * A stateful, spec-conformant simulator of the MetaDefender Distributed
 * Cluster API Gateway and My OPSWAT Central Management, for tests, demos and
 * benchmarks: a Web-standard `fetch` handler usable in-process, and the same
 * code served over HTTP on loopback. Scans take simulated time, verdicts
 * depend on content (EICAR is infected), archives are extracted, tokens and
 * sessions expire, report data is seeded and paged lazily, and faults can be
 * injected per operation.
 *
 * @module @mdkit/simulator
 */

export type { ClusterBatchInfo, ClusterControl, ClusterFileInfo } from "./cluster/control.js";
export { EICAR_TEST_STRING } from "./cluster/eicar.js";
export type { RecordedCallback } from "./cluster/recorded-callback.js";
export type {
  CentralManagementControl,
  ConnectionState,
  DirectConnectionInfo,
  KioskConfigurationUpdate,
} from "./cm/control.js";
export { FaultController, type FaultDecision, type FaultRule, type FaultRules } from "./faults.js";
export type { ListenOptions, SimulatorServer } from "./http.js";
export {
  type AuthFailureMode,
  type CallbackOptions,
  type CentralManagementSimulatorOptions,
  type ClusterSimulatorOptions,
  DEFAULT_CREDENTIALS,
  type RateLimitOptions,
  type ReportVolumes,
  type ResolvedOptions,
  type SimulatedRule,
  type SimulatorOptions,
} from "./options.js";
export { createSimulator, type Simulator } from "./simulator.js";
export { SimulatorState } from "./state.js";
