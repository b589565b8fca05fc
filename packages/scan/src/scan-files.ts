import type { ClusterClient } from "@mdkit/cluster";
import type { FileSource, ScanInput } from "./input.js";
import { runScanFiles } from "./internal/files-run.js";
import type { AdaptiveLimiterOptions } from "./limiter.js";
import type { ScanProgress } from "./poll.js";
import type { ScanResult } from "./result.js";
import type { ResumeAnswer } from "./resume.js";
import type { ScanFileOptions } from "./scan-file.js";

/** One file's outcome in a `scanFiles` run: exactly one per input, success or failure. */
export type ScanFilesItem =
  | { ok: true; index: number; source: FileSource; result: ScanResult }
  | {
      ok: false;
      index: number;
      source: FileSource | undefined;
      error: unknown;
      dataId: string | undefined;
    };

/** Options of {@link scanFiles}. */
export interface ScanFilesOptions extends Omit<ScanFileOptions, "onProgress" | "onSubmitted"> {
  /**
   * The run's own limit on the files occupying the gateway at once, each
   * from its upload until its result is in; it adapts between the bounds
   * (slow start, then AIMD on "busy"). Default start 4, max 64. Ignored
   * when `limiter` is given.
   */
  concurrency?: AdaptiveLimiterOptions | undefined;
  /** Files being prepared (hashed, looked up) or waiting for a gateway slot at once. Default 2 × `concurrency.max` (128). */
  prefetch?: number | undefined;
  /** Attempts per file for transient failures (network, 5xx). Default 3. */
  maxAttemptsPerFile?: number | undefined;
  /** Retries allowed across the run before transient failures are reported as they are. Default 50. */
  retryBudget?: number | undefined;
  /** How many inputs there are, when `inputs` is not an array (lets the run plan its end). */
  total?: number | undefined;
  /** Per-file progress. */
  onProgress?: ((index: number, progress: ScanProgress) => void) | undefined;
  /**
   * What the caller already knows of this source (from a journal): a
   * `data_id` to poll instead of uploading, or a `ResumePoint` (the content's
   * SHA-256, which a resumed result must match, and whether an earlier run may
   * have uploaded it without recording its `data_id`).
   */
  resume?: ((source: FileSource) => ResumeAnswer | Promise<ResumeAnswer>) | undefined;
  /** Called with each accepted `data_id`. */
  onSubmitted?: ((source: FileSource, dataId: string) => void | Promise<void>) | undefined;
}

/**
 * Scans any number of files and yields their results in completion order.
 * Concurrency is bounded and adapts to the server: each file holds a place
 * from its upload until its result is in; the limit grows while scans
 * succeed and shrinks to what the gateway took when it answers 503 "server
 * busy", so overload slows the run instead of failing files. A transient failure is retried a
 * few times per file within a run-wide budget; a file the gateway accepted is
 * never uploaded again (its `data_id` is polled instead). Every input yields
 * exactly one item; nothing is dropped or duplicated.
 *
 * Aborting `signal` ends the run: every file not yet finished yields a
 * `ScanAbortedError` item, and analyses already accepted are cancelled on
 * the gateway (unless `cancelOnAbort: false`). Leaving the loop early
 * (`break`) stops the run too: nothing more is read, uploaded or polled, and
 * no callback fires once the loop has exited; analyses already accepted are
 * left running, so that a journal can resume them.
 *
 * @example
 * ```ts
 * for await (const item of scanFiles(cluster, files, { rule: "multiscan" })) {
 *   if (!item.ok) console.error(item.index, item.error);
 *   else if (!item.result.clean) console.warn(item.result.name, item.result.verdict);
 * }
 * ```
 */
export async function* scanFiles(
  client: ClusterClient,
  inputs: Iterable<ScanInput> | AsyncIterable<ScanInput>,
  options: ScanFilesOptions = {},
): AsyncGenerator<ScanFilesItem> {
  yield* runScanFiles(client, inputs, options);
}
