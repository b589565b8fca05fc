import {
  type AnalysisResult,
  type ClusterClient,
  HttpError,
  isHttpError,
  isNotFoundResult,
  NetworkError,
  unwrap,
} from "@mdkit/cluster";
import { MalformedResultError, ScanTimeoutError } from "./errors.js";
import type { DurationEstimator } from "./estimator.js";
import { checkResultFor } from "./internal/evidence.js";
import { checkServerId } from "./internal/ids.js";
import { backoffDelay, sleep } from "./internal/timing.js";
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
  /** Give up after this long, with `ScanTimeoutError` (never a verdict). Default 600,000 (10 min). */
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
  /**
   * Called once, just before the first poll: the moment the server is expected
   * to be done with the file. `scanFiles` frees the file's place in its
   * concurrency limit here, so the next upload overlaps this poll.
   */
  onFirstPoll?: (() => void) | undefined;
  /** Source of jitter, for tests. Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** What one poll attempt produced. */
type Attempt =
  | { kind: "result"; result: AnalysisResult }
  | { kind: "slow-down"; retryAfterMs: number | undefined }
  | { kind: "transient"; error: unknown }
  | { kind: "not-found" };

async function attempt(
  client: ClusterClient,
  dataId: string,
  signal: AbortSignal | undefined,
): Promise<Attempt> {
  try {
    const data = await unwrap(
      client.GET("/file/{data_id}", { params: { path: { data_id: dataId } }, signal }),
    );
    if (isNotFoundResult(data)) return { kind: "not-found" };
    if (!data || typeof data !== "object")
      return { kind: "transient", error: new TypeError("empty result") };
    return { kind: "result", result: checkResultFor(data as AnalysisResult, dataId) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof MalformedResultError) throw error;
    if (isHttpError(error) && (error.status === 429 || error.status === 503)) {
      return { kind: "slow-down", retryAfterMs: (error as { retryAfterMs?: number }).retryAfterMs };
    }
    if (error instanceof NetworkError || error instanceof SyntaxError)
      return { kind: "transient", error };
    if (isHttpError(error) && error.status >= 500) return { kind: "transient", error };
    throw error;
  }
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
 */
export async function pollResult(
  client: ClusterClient,
  dataId: string,
  options: PollOptions = {},
): Promise<AnalysisResult> {
  checkServerId(dataId, "data_id", "the submission to poll");
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 600_000);
  const floor = options.minIntervalMs ?? 100;
  const cap = Math.max(floor, options.maxIntervalMs ?? 5_000);
  const random = options.random ?? Math.random;
  const maxTransient = options.maxTransientErrors ?? 8;
  const clamp = (ms: number) => Math.min(cap, Math.max(floor, ms));
  // Late rather than early: an early poll costs a request, a late one a few ms.
  const lateJitter = (ms: number) => ms * (1 + 0.02 * random());

  // The first poll comes when similar files usually finish: one request, not a
  // loop, so it may come sooner than `minIntervalMs`.
  const expected =
    options.estimator?.estimateMs(options.sizeBytes) ?? options.initialDelayMs ?? 100;
  let delay = Math.min(cap, Math.max(options.firstPollMinMs ?? 10, expected));
  let backoffAttempt = 0;
  let transient = 0;
  let notFound = 0;
  let polls = 0;
  // Progress is measured from submission (0% at the start of polling).
  const first = { at: started, percent: 0 };

  for (;;) {
    const now = Date.now();
    if (now >= deadline) {
      throw new ScanTimeoutError(
        `no finished result for ${dataId} within ${options.timeoutMs ?? 600_000} ms`,
        { dataId },
      );
    }
    await sleep(Math.min(lateJitter(delay), deadline - now), options.signal);
    if (polls++ === 0) options.onFirstPoll?.();
    const outcome = await attempt(client, dataId, options.signal);
    if (outcome.kind === "slow-down") {
      delay = clamp(
        outcome.retryAfterMs ??
          backoffDelay(backoffAttempt++, { initialMs: 500, maxMs: cap }, random),
      );
      continue;
    }
    if (outcome.kind === "transient" || outcome.kind === "not-found") {
      const count = outcome.kind === "transient" ? ++transient : ++notFound;
      if (outcome.kind === "not-found" && count > 3) {
        throw new MalformedResultError(
          `the gateway answers "Not Found" for ${dataId}, which it had accepted`,
          { dataId },
        );
      }
      if (count > maxTransient) {
        const cause = outcome.kind === "transient" ? outcome.error : undefined;
        if (cause instanceof HttpError) throw cause;
        throw new MalformedResultError(`giving up on ${dataId} after ${count} failed polls`, {
          dataId,
          cause,
        });
      }
      delay = clamp(backoffDelay(backoffAttempt++, { initialMs: 250, maxMs: cap }, random));
      continue;
    }
    transient = 0;
    const { result } = outcome;
    if (isFinished(result)) {
      // Learn from the server's own processing time when it reports one: the
      // time until this poll includes our own waiting and would only grow.
      const elapsed = Date.now() - started;
      const serverMs = result.scan_results?.total_time;
      options.estimator?.observe(
        typeof serverMs === "number" && serverMs > 0 ? Math.min(serverMs, elapsed) : elapsed,
        options.sizeBytes,
      );
      options.onProgress?.({ phase: "analysis", percent: 100, dataId });
      return result;
    }
    const percent = progressOf(result);
    options.onProgress?.({ phase: "analysis", percent, dataId });
    const at = Date.now();
    if (percent > first.percent && at > first.at) {
      const rate = (percent - first.percent) / (at - first.at);
      delay = clamp((100 - percent) / rate);
    } else {
      delay = clamp(
        backoffDelay(backoffAttempt++, { initialMs: Math.max(floor, delay), maxMs: cap }, random) *
          2,
      );
    }
  }
}
