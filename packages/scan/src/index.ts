/**
 * Scan orchestration for the MetaDefender Cluster gateway, on top of the
 * typed `@mdkit/cluster` client: hash-first lookups, uploads streamed with an
 * exact `Content-Length`, adaptive polling, bounded concurrency that adapts to
 * "server busy", archives paged child by child, batches, cancellation — and
 * verdicts that fail closed. Runs anywhere `fetch` does; `@mdkit/scan/node`
 * adds paths, directories, journals, atomic downloads and certificate checks.
 *
 * @module @mdkit/scan
 */

export {
  type AimdOptions,
  type AimdSettings,
  type AimdState,
  aimdLimit,
  aimdOnBusy,
  aimdOnSuccess,
  aimdStart,
} from "./aimd.js";
export { type ArchiveChild, type ArchiveChildrenOptions, archiveChildren } from "./archive.js";
export {
  type BatchCertificate,
  type BatchFileResult,
  type BatchProgress,
  type BatchResult,
  type BatchResultOptions,
  type CertificateCheck,
  type ResumeBatchOptions,
  resumeBatch,
  type ScanBatchOptions,
  type SubmittedFile,
  scanBatch,
} from "./batch.js";
export { contradictionsOf } from "./contradictions.js";
export {
  BatchError,
  CertificateVerificationError,
  FileTooLargeError,
  InvalidDataIdError,
  InvalidInputError,
  MalformedResultError,
  ResultMismatchError,
  ScanAbortedError,
  ScanError,
  type ScanErrorOptions,
  ScanTimeoutError,
  SkippedEntryError,
  type SkipReason,
} from "./errors.js";
export { createDurationEstimator, type DurationEstimator } from "./estimator.js";
export { createSha256, type IncrementalHash, portableSha256, type Sha256Hasher } from "./hash.js";
export {
  encodeFilename,
  type FileSource,
  type ScanInput,
  toFileSource,
  unreadableInput,
} from "./input.js";
export {
  AdaptiveLimiter,
  type AdaptiveLimiterOptions,
  type ConcurrencyLimiter,
} from "./limiter.js";
export { type HashLookup, type LookupHashOptions, lookupHash } from "./lookup.js";
export { type PollOptions, pollResult, type ScanProgress } from "./poll.js";
export type { EngineFinding, LookupOutcome, ScanOrigin, ScanResult } from "./result.js";
export type { ResumeAnswer, ResumePoint } from "./resume.js";
export { checkFileSize } from "./rules.js";
export { resumeScan, type ScanFileOptions, scanFile } from "./scan-file.js";
export { type ScanFilesItem, type ScanFilesOptions, scanFiles } from "./scan-files.js";
export { type UploadOptions, uploadFile } from "./upload.js";
export {
  IN_PROGRESS_CODES,
  isFinished,
  progressOf,
  SCAN_RESULT_NAMES,
  type Verdict,
  verdictOf,
  worstVerdict,
} from "./verdict.js";
