import type { ClusterClient } from "@mdkit/cluster";
import { type Clock, createDeadline, type Deadline, isDeadlineExceeded } from "@mdkit/core";
import type { BatchResultOptions } from "../batch.js";
import {
  BatchError,
  CertificateVerificationError,
  ScanAbortedError,
  ScanError,
  ScanTimeoutError,
} from "../errors.js";

/** One batch being worked on: the client, its id, the options and the whole batch's deadline. */
export interface BatchRun {
  client: ClusterClient;
  batchId: string;
  options: BatchResultOptions;
  deadline: Deadline;
  clock: Clock;
}

/** The default hard deadline of a batch, ms. */
const timeoutOf = (options: BatchResultOptions) => options.timeoutMs ?? 600_000;

/** One hard deadline for the whole batch: rules, uploads, closing, polling, paging, certificate. */
export function batchDeadline(options: BatchResultOptions, clock: Clock): Deadline {
  return createDeadline({
    timeoutMs: timeoutOf(options),
    signal: options.signal,
    clock,
    source: "@mdkit/scan",
    what: "the batch",
  });
}

/** Whether the caller aborted (a deadline carried by the caller's signal is a timeout, not an abort). */
const callerAborted = (options: BatchResultOptions) =>
  options.signal?.aborted === true && !isDeadlineExceeded(options.signal.reason);

/** Best-effort `POST /file/batch/{id}/cancel`, never throwing: the caller is already failing. */
export async function cancelBatch(client: ClusterClient, batchId: string): Promise<void> {
  await client
    .POST("/file/batch/{batchId}/cancel", { params: { path: { batchId } } })
    .catch(() => {});
}

/** A batch that did not finish in time (it may still be running on the gateway). */
export function batchTimeout(run: BatchRun, cause?: unknown): ScanTimeoutError {
  const { batchId, options } = run;
  return new ScanTimeoutError(
    `batch ${batchId} did not finish within ${timeoutOf(options)} ms; it may still be running on the gateway (resume with resumeBatch, or GET /file/batch/${batchId})`,
    { batchId, cause },
  );
}

/**
 * A failure before the batch exists (the rule check, the creation): the
 * deadline's is a `ScanTimeoutError`, anything else stays as it is.
 */
export function failureBeforeBatch(
  options: BatchResultOptions,
  deadline: Deadline,
  error: unknown,
): unknown {
  if (!deadline.expired || callerAborted(options) || error instanceof ScanTimeoutError)
    return error;
  return new ScanTimeoutError(`the batch was not created within ${timeoutOf(options)} ms`, {
    cause: error,
  });
}

/**
 * The uploads into the batch failed: an incomplete batch is worthless, so
 * it is cancelled on the gateway (a caller's abort is left to
 * {@link batchFailure}'s caller) and the error names it.
 */
export async function failedUploads(run: BatchRun, error: unknown): Promise<never> {
  const { client, batchId, options, deadline } = run;
  if (callerAborted(options)) throw error;
  await cancelBatch(client, batchId);
  if (deadline.expired) {
    throw new ScanTimeoutError(
      `the uploads into batch ${batchId} did not finish within ${timeoutOf(options)} ms; the batch was cancelled on the gateway`,
      { batchId, cause: error },
    );
  }
  throw new BatchError(
    `an upload into batch ${batchId} failed (${bare(error)}); the batch was cancelled on the gateway`,
    { batchId, cause: error },
  );
}

/** A message without the `[@mdkit/...]` prefix its error gave it. */
const bare = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/^\[@mdkit\/[\w-]+\]\s*/, "");

/**
 * Any failure of a batch that exists, as an error naming it: an abort
 * (`ScanAbortedError`), the deadline (`ScanTimeoutError`), a certificate
 * that does not verify (`CertificateVerificationError`) name the batch
 * themselves; anything else becomes a `BatchError` whose cause it is.
 */
export function batchFailure(run: BatchRun, error: unknown): ScanError {
  const { batchId } = run;
  const named = error instanceof ScanError && error.batchId === batchId;
  if (callerAborted(run.options)) {
    if (named && error instanceof ScanAbortedError) return error;
    return new ScanAbortedError(`batch ${batchId} aborted: ${bare(error)}`, {
      batchId,
      cause: error,
    });
  }
  if (run.deadline.expired) {
    return named && error instanceof ScanTimeoutError ? error : batchTimeout(run, error);
  }
  if (named && !(error instanceof BatchError)) return error;
  if (error instanceof CertificateVerificationError) {
    return new CertificateVerificationError(`batch ${batchId}: ${bare(error)}`, {
      batchId,
      cause: error,
    });
  }
  if (error instanceof BatchError) return error;
  return new BatchError(`batch ${batchId} failed: ${bare(error)}`, { batchId, cause: error });
}
