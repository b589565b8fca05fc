/**
 * Durable, distributed scanning on BullMQ and Redis: producers queue files
 * (by path or URL, never their bytes) under idempotent ids (SHA-256 + rule),
 * workers in any number of processes and hosts scan them with `@mdkit/scan`
 * inside one gateway budget shared through Redis (the AIMD of `scanFiles`),
 * producers are served fairly, and every job gets exactly one result — a
 * verdict or a typed failure — even when workers crash mid-upload or mid-poll.
 *
 * @module @mdkit/queue
 */
export { type RedisConnection, redisOptionsOf } from "./connection.js";
export {
  ContentChangedError,
  QueueError,
  QueueInputError,
  RedisAuthError,
  RedisUnreachableError,
} from "./errors.js";
export type { DownloadLimits } from "./internal/bounded-download.js";
export type { ResultsOptions } from "./internal/results-reader.js";
export type { JobScanOptions } from "./internal/run-scan-job.js";
export type { QueueStatus } from "./internal/status.js";
export { type JobSource, type ScanJobData, scanJobId } from "./job-data.js";
export { toNdjsonLine, writeNdjson } from "./ndjson.js";
export type { QueueInput } from "./queue-input.js";
export type { QueueFailure, QueueResult, QueueVerdict } from "./result.js";
export {
  type AddedJob,
  type AddOptions,
  type AddResult,
  createScanQueue,
  type ScanQueue,
  type ScanQueueOptions,
} from "./scan-queue.js";
export {
  createScanWorker,
  type ScanWorker,
  type ScanWorkerEvents,
  type ScanWorkerOptions,
} from "./scan-worker.js";
export {
  createSharedLimiter,
  SharedLimiter,
  type SharedLimiterOptions,
  type SharedLimiterSnapshot,
} from "./shared-limiter.js";
