import type { ScanOrigin, ScanResult, Verdict } from "@mdkit/scan";
import type { JobSource } from "./job-data.js";

/** The verdict of a finished job: what `@mdkit/scan`'s `ScanResult` says, without the raw result. */
export interface QueueVerdict {
  /** The normalised verdict. Only `"clean"` is clean. */
  verdict: Verdict;
  /** `verdict === "clean"`. */
  clean: boolean;
  /** The submission id (for a hash hit, the earlier submission's). */
  dataId: string;
  /** Threat names, deduplicated. */
  threats: string[];
  /** `scan_all_result_i`. */
  code: number | undefined;
  /** Readable name of `code`. */
  codeName: string | undefined;
  /** Engines that ran, and how many found something. */
  engines: { total: number; detected: number };
  /** `process_info.result` (e.g. "Allowed", "Blocked"). */
  processResult: string | undefined;
  /** Why the rule blocked the file, if it did. */
  blockedReason: string | undefined;
  /** Where the sanitized version can be downloaded, if the rule produced one. */
  sanitized: { dataId: string; fileName: string | undefined } | undefined;
  /**
   * How the worker that finished the job got the result: `"lookup"` (the
   * gateway knew the content by hash, nothing uploaded), `"upload"` (it
   * uploaded the file), `"resumed"` (it polled a submission accepted earlier:
   * recorded by an attempt that crashed or stalled, or found in progress by
   * hash).
   */
  origin: ScanOrigin;
  /**
   * `origin === "lookup"`.
   *
   * @deprecated Read `origin` instead, which also tells an upload from a
   *   resumed submission. Kept as an alias.
   */
  fromCache: boolean;
  /**
   * Bytes of the content the gateway accepted from the worker that finished
   * the job: its size for `origin: "upload"`, else 0 (a resumed job's bytes
   * were accepted once, by the attempt that submitted them). Refused
   * uploads (503) are not counted.
   */
  uploadedBytes: number;
}

/** Why a job ended without a verdict: the answer is unknown, never clean. */
export interface QueueFailure {
  /** The error's class, e.g. `ScanTimeoutError`, `FileTooLargeError`, `ContentChangedError`. */
  name: string;
  /** Its message (mdkit messages are redacted). */
  message: string;
  /** The submission concerned, when it got that far. */
  dataId: string | undefined;
}

/** What every result says about its job. */
interface ResultBase {
  /** The job (content + rule). */
  jobId: string;
  /** SHA-256 of the content. */
  sha256: string;
  /** Name of the file, as first added. */
  name: string;
  /** Where the bytes were read from. */
  source: JobSource;
  /** Rule scanned with (`undefined`: the gateway's default). */
  rule: string | undefined;
  /** Producer that added the job first. */
  producer: string;
  /** When the result was recorded, ms since the epoch. */
  finishedAt: number;
  /** Position in the result log, for `results({ after })` (set when read from the log). */
  cursor?: string | undefined;
}

/** One job's outcome: exactly one per job, a verdict or a typed failure. */
export type QueueResult =
  | (ResultBase & { ok: true; result: QueueVerdict })
  | (ResultBase & { ok: false; error: QueueFailure });

/** The recorded form of a `ScanResult`. */
export function toQueueVerdict(result: ScanResult): QueueVerdict {
  return {
    verdict: result.verdict,
    clean: result.verdict === "clean",
    dataId: result.dataId,
    threats: result.threats,
    code: result.code,
    codeName: result.codeName,
    engines: { total: result.engines.total, detected: result.engines.detected },
    processResult: result.processResult,
    blockedReason: result.blockedReason,
    sanitized: result.sanitized,
    origin: result.origin,
    fromCache: result.origin === "lookup",
    uploadedBytes: result.uploadedBytes,
  };
}

/** The recorded form of an error. */
export function toQueueFailure(error: unknown, dataId: string | undefined): QueueFailure {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const own = (error as { dataId?: unknown } | undefined)?.dataId;
  return { name, message, dataId: typeof own === "string" ? own : dataId };
}

/**
 * A result as read back from Redis. Results recorded before `origin`
 * existed get it from what they said: `fromCache` (a lookup), uploaded
 * bytes (an upload), or neither (a resumed submission).
 */
export function parseQueueResult(json: string): QueueResult {
  const result = JSON.parse(json) as QueueResult;
  if (result.ok && result.result.origin === undefined) {
    const { fromCache, uploadedBytes } = result.result;
    result.result.origin = fromCache ? "lookup" : uploadedBytes > 0 ? "upload" : "resumed";
  }
  return result;
}
