import {
  type AnalysisResult,
  type ClusterClient,
  HttpError,
  isNotFoundResult,
  unwrap,
} from "@mdkit/cluster";
import { type Clock, createDeadline, isDeadlineExceeded, systemClock } from "@mdkit/core";
import { MalformedResultError, ScanTimeoutError } from "./errors.js";
import type { DurationEstimator } from "./estimator.js";
import { checkResultFor } from "./internal/evidence.js";
import { expectedDurationMs } from "./internal/expected-duration.js";
import { checkServerId } from "./internal/ids.js";
import { failedPoll, type PollAttempt, pollUntilDone } from "./internal/poll-loop.js";
import { isFinished, progressOf } from "./verdict.js";

/** Progress of one file, reported through `onProgress`. */
export interface ScanProgress {
  /** The phase: sending bytes, or waiting for the analysis. */
  phase: "upload" | "analysis";
  /** Bytes sent so far (upload phase). */
  bytesSent?: number;
  /** Total bytes to send, when known. */
  bytesTotal?: number | undefined;
  /** Analysis progress 0–100 (analysis phase). */
  percent?: number;
  /** The submission, once accepted. */
  dataId?: string;
}

/** How to wait for a result. Every delay is in milliseconds. */
export interface PollOptions {
  /** Stops waiting at once (the caller decides whether to cancel on the server). */
  signal?: AbortSignal | undefined;
  /**
   * Hard deadline, ms: every wait and every poll request end by then (and by
   * any deadline `signal` carries), with `ScanTimeoutError` (never a
   * verdict). Default 600,000 (10 min).
   */
  timeoutMs?: number | undefined;
  /** Never poll the same file more often than this. Default 100. */
  minIntervalMs?: number | undefined;
  /** The first poll comes no sooner than this after submission. Default 10. */
  firstPollMinMs?: number | undefined;
  /** Never wait longer than this between polls. Default 5,000. */
  maxIntervalMs?: number | undefined;
  /** Delay before the first poll when nothing is known about the server. Default 100. */
  initialDelayMs?: number | undefined;
  /** Analysis progress, as the server reports it. */
  onProgress?: ((progress: ScanProgress) => void) | undefined;
  /** Shared knowledge of how long analyses take (see `createDurationEstimator`). */
  estimator?: DurationEstimator | undefined;
  /** Size of the file, to scale the estimate. */
  sizeBytes?: number | undefined;
  /** Consecutive transient failures (network, 5xx, unreadable bodies) tolerated. Default 8. */
  maxTransientErrors?: number | undefined;
  /** Source of jitter, for tests. Default `Math.random`. */
  random?: (() => number) | undefined;
  /**
   * The clock of every wait (between polls, busy answers, deadlines), e.g. a
   * manual clock in tests. The client's own retries use the client's clock.
   * Default the system clock.
   */
  clock?: Clock | undefined;
}

/** One `GET /file/{data_id}`, classified for the waiting loop. */
async function pollOnce(
  client: ClusterClient,
  dataId: string,
  signal: AbortSignal,
): Promise<PollAttempt<AnalysisResult>> {
  try {
    const data = await unwrap(
      // Polling is its own waiting loop: the client must not wait out "busy" answers as well.
      client.GET("/file/{data_id}", {
        params: { path: { data_id: dataId } },
        signal,
        retry: false,
      }),
    );
    if (isNotFoundResult(data)) return { kind: "not-found" };
    if (!data || typeof data !== "object")
      return { kind: "transient", error: new TypeError("empty result") };
    const result = checkResultFor(data as AnalysisResult, dataId);
    return isFinished(result)
      ? { kind: "done", value: result }
      : { kind: "running", percent: progressOf(result) };
  } catch (error) {
    if (error instanceof MalformedResultError) throw error;
    return failedPoll(error, signal);
  }
}

/** When to stop retrying failed polls of `dataId`: "Not Found" for an accepted file, or too many failures. */
function giveUpOn(dataId: string, maxTransient: number) {
  return (kind: "transient" | "not-found", count: number, error: unknown) => {
    if (kind === "not-found" && count > 3) {
      return new MalformedResultError(
        `the gateway answers "Not Found" for ${dataId}, which it had accepted`,
        { dataId },
      );
    }
    if (count <= maxTransient) return undefined;
    if (error instanceof HttpError) return error;
    return new MalformedResultError(`giving up on ${dataId} after ${count} failed polls`, {
      dataId,
      cause: error,
    });
  };
}

/**
 * Waits for the analysis of `dataId` to finish and returns the raw result.
 *
 * Polls adaptively: the first poll comes when similar files usually finish
 * (or after `initialDelayMs`), later ones when the reported progress rate
 * predicts completion, otherwise backing off exponentially with jitter, always
 * between `minIntervalMs` and `maxIntervalMs`. 429 and 503 mean "slow down"
 * (their `Retry-After` is honoured), not failure; network errors, 5xx and
 * unreadable bodies are retried a bounded number of times. A result is
 * returned only when every progress field reached 100.
 *
 * Every result must be about `dataId` (its `data_id`, and `scan_results.data_id`
 * when present): a result for another submission is an error, never read.
 *
 * @throws {ScanTimeoutError} when `timeoutMs` passes first (the file is not clean).
 * @throws {InvalidDataIdError} when `dataId` is not a plain token (nothing is polled).
 * @throws {ResultMismatchError} when the gateway answers with another submission's result.
 * @example
 * ```ts
 * const raw = await pollResult(cluster, dataId, { timeoutMs: 60_000 });
 * console.log(raw.scan_results?.scan_all_result_a);
 * ```
 */
export async function pollResult(
  client: ClusterClient,
  dataId: string,
  options: PollOptions = {},
): Promise<AnalysisResult> {
  checkServerId(dataId, "data_id", "the submission to poll");
  const timeoutMs = options.timeoutMs ?? 600_000;
  const clock = options.clock ?? systemClock;
  // A hard deadline: every wait and every poll request ends by then (and by
  // any deadline the caller's signal carries, such as a whole scan's).
  const deadline = createDeadline({
    timeoutMs,
    signal: options.signal,
    clock,
    source: "@mdkit/scan",
  });
  // What the last poll that failed said, so that a timeout tells why no result came.
  let lastFailure: unknown;
  const timedOut = (cause?: unknown) => {
    const failure =
      lastFailure instanceof Error ? `; the last poll failed: ${lastFailure.message}` : "";
    return new ScanTimeoutError(
      `no finished result for ${dataId} within ${timeoutMs} ms${failure}`,
      {
        dataId,
        cause: lastFailure ?? cause,
      },
    );
  };
  const giveUp = giveUpOn(dataId, options.maxTransientErrors ?? 8);
  try {
    const started = clock.now();
    const result = await pollUntilDone<AnalysisResult>(
      {
        attempt: (signal) => pollOnce(client, dataId, signal),
        giveUp: (kind, count, error) => {
          if (error !== undefined) lastFailure = error;
          return giveUp(kind, count, error);
        },
        onProgress: (percent) => options.onProgress?.({ phase: "analysis", percent, dataId }),
      },
      pollTiming(options, clock),
      deadline,
    );
    if (!result) throw timedOut();
    learnDuration(options, result, clock.now() - started);
    return result;
  } catch (error) {
    // A caller's abort stays an abort; a deadline (this one or the caller's) is a timeout.
    const callerAborted = options.signal?.aborted && !isDeadlineExceeded(options.signal.reason);
    if (!deadline.expired || callerAborted || error instanceof ScanTimeoutError) throw error;
    throw timedOut(error);
  } finally {
    deadline.dispose();
  }
}

/** The polling timing of `options`: the first poll when similar files usually finish. */
function pollTiming(options: PollOptions, clock: Clock) {
  const minIntervalMs = options.minIntervalMs ?? 100;
  const expected = expectedDurationMs(options);
  return {
    minIntervalMs,
    maxIntervalMs: Math.max(minIntervalMs, options.maxIntervalMs ?? 5_000),
    firstDelayMs: Math.max(options.firstPollMinMs ?? 10, expected),
    random: options.random ?? Math.random,
    clock,
  };
}

/**
 * Teaches the estimator how long this analysis took: the server's own
 * processing time when it reports one (the time until the last poll
 * includes our own waiting and would only grow), else the time waited.
 */
function learnDuration(options: PollOptions, result: AnalysisResult, elapsedMs: number) {
  const serverMs = result.scan_results?.total_time;
  options.estimator?.observe(
    typeof serverMs === "number" && serverMs > 0 ? Math.min(serverMs, elapsedMs) : elapsedMs,
    options.sizeBytes,
  );
}
