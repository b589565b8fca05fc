/**
 * @module @mdkit/testing/hostile
 *
 * The hostile side of the test suite: a server that plays a lying, stalling
 * or flooding gateway / token endpoint / tunnel, canary secrets with a leak
 * detector that knows every encoding a server could echo them in, and
 * `hostileCase`, which fails a case on a leak, a false clean or a deadline
 * overrun and records it for the CI summary.
 */
export {
  gzipBomb,
  hang,
  hugeJson,
  sendJson,
  trickle,
  truncatedGzip,
} from "./behaviours.js";
export { CANARIES, findLeaks, type Leak, SECRET_ENCODINGS, type SecretEncoding } from "./canary.js";
export {
  type HostileCentralManagementOptions,
  startHostileCentralManagement,
} from "./central-management.js";
export {
  BUILT_CLI,
  builtCliAvailable,
  type CliRun,
  type RunOptions,
  runBuiltCli,
  runNodeScript,
} from "./cli.js";
export {
  finishedResult,
  type GatewayRoutes,
  HOSTILE_DATA_ID,
  hostileGateway,
} from "./gateway.js";
export {
  type Rewrite,
  type Rewritten,
  startRewritingGateway,
  type UpstreamAnswer,
} from "./proxy.js";
export {
  DEADLINE_GRACE_MS,
  HOSTILE_RESULTS,
  type HostileOutcome,
  type HostileProbe,
  hostileCase,
  readHostileResults,
  renderingsOf,
  resetHostileResults,
} from "./record.js";
export {
  type HostileRedis,
  type HostileRedisHandler,
  respError,
  startHostileRedis,
} from "./redis.js";
export { rewriteFields, startRewritingProxy } from "./rewriting-proxy.js";
export {
  type HostileContext,
  type HostileHandler,
  type HostileServer,
  type RecordedRequest,
  startHostileServer,
} from "./server.js";
export {
  createForeignSigner,
  type ForeignSigner,
  resignBatchCertificate,
  signBatchResult,
} from "./signer.js";
