import type { ClusterClient } from "@mdkit/cluster";
import type { Sha256Hasher } from "./hash.js";
import type { FileSource, ScanInput } from "./input.js";
import { scanOne } from "./internal/scan-one.js";
import type { ConcurrencyLimiter } from "./limiter.js";
import { type PollOptions, pollResult } from "./poll.js";
import { type ScanResult, toScanResult } from "./result.js";
import type { UploadOptions } from "./upload.js";

/** Options of {@link scanFile}. Every delay is in milliseconds. */
export interface ScanFileOptions
  extends Omit<UploadOptions, "signal" | "onProgress" | "hash" | "retry">,
    Omit<PollOptions, "sizeBytes"> {
  /**
   * Hard deadline of the scan, ms: the rule check, the hash lookup, the
   * upload, every busy wait (`Retry-After` included), every poll and every
   * request end by then, with `ScanTimeoutError` (never a verdict). With a
   * `limiter` (and so in `scanFiles`) it starts when the file gets its place
   * on the gateway: time queued behind other files does not count. Default
   * 600,000.
   */
  timeoutMs?: number | undefined;
  /**
   * Look the SHA-256 up first and skip the upload when a finished result
   * exists for the rule. A lookup that fails (404, 403, 405, 5xx, a lost
   * connection, an unreadable answer) is no verdict: the file is uploaded
   * and `result.lookup` says why. Default true.
   */
  hashFirst?: boolean | undefined;
  /** Check the rule's `max_file_size` before uploading (one `GET /file/rules`). Default true when `rule` is set. */
  checkFileSize?: boolean | undefined;
  /** How many times to re-send an upload the gateway refused as busy (503/429). Default 20. */
  maxBusyRetries?: number | undefined;
  /** SHA-256 implementation. Default: portable (`@noble/hashes`); the Node entry uses `node:crypto`. */
  hasher?: Sha256Hasher | undefined;
  /** Cancel the analysis on the server when `signal` aborts after the upload. Default true. */
  cancelOnAbort?: boolean | undefined;
  /** Called with each accepted `data_id`, before polling (to record it, e.g. to resume later). */
  onSubmitted?: ((dataId: string, source: FileSource) => void | Promise<void>) | undefined;
  /**
   * A concurrency limit on the gateway to share with other scans (an
   * `AdaptiveLimiter`, `@mdkit/queue`'s shared limiter, or your own
   * `ConcurrencyLimiter`). The file holds one slot from its upload until its
   * result is in (given back while it waits out a "busy" answer), tells the
   * limiter about "busy" answers (`busy()`) and about a scan that ended well
   * (`success()`); a hash hit takes no slot. Default: none (`scanFiles`
   * makes an `AdaptiveLimiter` of its own).
   */
  limiter?: ConcurrencyLimiter | undefined;
}

/**
 * Scans one file and returns its normalised verdict.
 *
 * Hash first (unless `hashFirst: false`): the SHA-256 is looked up and the
 * upload skipped when a finished result for the same rule exists; a lookup
 * that fails only means the file is uploaded (`result.lookup` says so).
 * Otherwise the bytes are streamed with their exact `Content-Length`, then
 * the result is polled adaptively until every progress field reaches 100.
 * Timeouts, aborts, unknown codes and malformed results are errors or
 * `failed`, never `clean`. Aborting after the upload cancels the analysis on
 * the server. `result.origin` says how the result was obtained.
 *
 * @example
 * ```ts
 * const result = await scanFile(cluster, new File([bytes], "invoice.pdf"), { rule: "multiscan" });
 * if (!result.clean) console.warn(result.verdict, result.threats);
 * console.log(result.origin, result.uploadedBytes); // "upload" 1834 (or "lookup" 0)
 * ```
 */
export function scanFile(
  client: ClusterClient,
  input: ScanInput,
  options: ScanFileOptions = {},
): Promise<ScanResult> {
  return scanOne(client, input, options);
}

/** Options of {@link resumeScan}. */
export interface ResumeScanOptions extends PollOptions {
  /** Name of the file, for the result. */
  name?: string | undefined;
  /** SHA-256 of the content: a result whose `file_info.sha256` names other content is refused. */
  sha256?: string | undefined;
}

/**
 * Resumes waiting for a submission accepted earlier (after a `ScanTimeoutError`,
 * a restart, or a `data_id` recorded by `onSubmitted`). The result's `origin` is
 * `"resumed"` and its `uploadedBytes` 0: this call sent nothing.
 *
 * @throws {ResultMismatchError} when the result is for another `data_id`, or for
 *   other content than `sha256`.
 * @example
 * ```ts
 * const result = await resumeScan(cluster, error.dataId, { name: "invoice.pdf" });
 * console.log(result.verdict, result.origin); // "clean" "resumed"
 * ```
 */
export async function resumeScan(
  client: ClusterClient,
  dataId: string,
  options: ResumeScanOptions = {},
): Promise<ScanResult> {
  const raw = await pollResult(client, dataId, options);
  return toScanResult(raw, {
    name: options.name,
    sha256: options.sha256,
    origin: "resumed",
    lookup: { status: "skipped" },
    uploadedBytes: 0,
  });
}
