import { isHttpError, MalformedResponseError, NetworkError } from "@mdkit/cluster";
import { backoffDelay, type Clock, type Deadline, decideRetry } from "@mdkit/core";

/** What one poll produced, as the waiting loop sees it. */
export type PollAttempt<T> =
  | { kind: "done"; value: T }
  | { kind: "running"; percent: number }
  | { kind: "slow-down"; error: unknown }
  | { kind: "transient"; error: unknown }
  | { kind: "not-found" };

/** How often to poll. Every delay is in milliseconds. */
export interface PollTiming {
  /** Never poll more often than this (the first poll aside). */
  minIntervalMs: number;
  /** Never wait longer than this between polls. */
  maxIntervalMs: number;
  /** Delay before the first poll (may be below `minIntervalMs`: it is one request, not a loop). */
  firstDelayMs: number;
  /** Source of jitter in [0, 1). */
  random: () => number;
  /** The clock every wait and reading of the time uses. */
  clock: Clock;
}

/** What is being polled. */
export interface PollTarget<T> {
  /** One poll request, classified; throws what ends the wait at once. */
  attempt(signal: AbortSignal): Promise<PollAttempt<T>>;
  /**
   * After a failed poll (`transient` or `not-found`), given how many failed in
   * a row: an error to end the wait with, or `undefined` to poll again.
   */
  giveUp(kind: "transient" | "not-found", count: number, error: unknown): unknown;
  /** Progress as reported (0–100), after each poll that got an answer. */
  onProgress?: ((percent: number) => void) | undefined;
}

/** A failure worth another try later: a network failure, a 5xx, an unreadable body. */
export const isTransientFailure = (error: unknown): boolean =>
  error instanceof NetworkError ||
  error instanceof MalformedResponseError ||
  (isHttpError(error) && error.status >= 500);

/**
 * A poll failure that is no answer: 429/503 say "slow down", network
 * failures, 5xx and unreadable bodies are transient; anything else (and the
 * signal's abort) ends the wait.
 */
export function failedPoll(error: unknown, signal: AbortSignal): PollAttempt<never> {
  if (signal.aborted) throw signal.reason;
  if (isHttpError(error) && (error.status === 429 || error.status === 503)) {
    return { kind: "slow-down", error };
  }
  if (isTransientFailure(error)) return { kind: "transient", error };
  throw error;
}

/**
 * The delays between polls: when the progress rate predicts the end, else
 * exponential backoff with jitter; "slow down" answers wait as the shared
 * retry policy of `@mdkit/core` decides (`Retry-After`, capped at the
 * longest interval). Always within `[minIntervalMs, maxIntervalMs]`.
 */
class PollSchedule {
  private backoffAttempt = 0;
  private readonly first: { at: number; percent: number };
  next: number;

  constructor(private readonly timing: PollTiming) {
    this.first = { at: timing.clock.now(), percent: 0 };
    this.next = Math.min(timing.maxIntervalMs, timing.firstDelayMs);
  }

  private clamp(ms: number) {
    const { minIntervalMs, maxIntervalMs } = this.timing;
    return Math.min(maxIntervalMs, Math.max(minIntervalMs, ms));
  }

  /** The wait before the next poll, late rather than early: an early poll costs a request, a late one a few ms. */
  wait(): number {
    return this.next * (1 + 0.02 * this.timing.random());
  }

  afterProgress(percent: number) {
    const at = this.timing.clock.now();
    if (percent > this.first.percent && at > this.first.at) {
      const rate = (percent - this.first.percent) / (at - this.first.at);
      this.next = this.clamp((100 - percent) / rate);
      return;
    }
    const { minIntervalMs, maxIntervalMs, random } = this.timing;
    const initialMs = Math.max(minIntervalMs, this.next);
    this.next = this.clamp(
      backoffDelay(this.backoffAttempt++, { initialMs, maxMs: maxIntervalMs }, random) * 2,
    );
  }

  afterSlowDown(error: unknown) {
    const { maxIntervalMs, random, clock } = this.timing;
    const decision = decideRetry(
      { error },
      { retries: this.backoffAttempt++, method: "GET", now: clock.now() },
      {
        maxRetries: Number.POSITIVE_INFINITY,
        initialDelayMs: 500,
        maxDelayMs: maxIntervalMs,
        maxRetryAfterMs: maxIntervalMs,
        random,
      },
    );
    this.next = this.clamp(decision.retry ? decision.delayMs : maxIntervalMs);
  }

  afterFailure() {
    const { maxIntervalMs, random } = this.timing;
    this.next = this.clamp(
      backoffDelay(this.backoffAttempt++, { initialMs: 250, maxMs: maxIntervalMs }, random),
    );
  }
}

/**
 * Polls `target` until it is done, within `deadline`: resolves with the
 * finished value, or `undefined` once the deadline passed. "Slow down"
 * answers are waited out; failed polls are retried until `target.giveUp`
 * says otherwise.
 */
export async function pollUntilDone<T>(
  target: PollTarget<T>,
  timing: PollTiming,
  deadline: Deadline,
): Promise<T | undefined> {
  const schedule = new PollSchedule(timing);
  const failures = { transient: 0, "not-found": 0 };
  for (;;) {
    deadline.signal.throwIfAborted();
    if (deadline.expired) return undefined;
    await timing.clock.sleep(Math.min(schedule.wait(), deadline.remainingMs()), deadline.signal);
    const outcome = await target.attempt(deadline.signal);
    switch (outcome.kind) {
      case "done":
        target.onProgress?.(100);
        return outcome.value;
      case "running":
        failures.transient = 0;
        target.onProgress?.(outcome.percent);
        schedule.afterProgress(outcome.percent);
        break;
      case "slow-down":
        schedule.afterSlowDown(outcome.error);
        break;
      default: {
        const error = outcome.kind === "transient" ? outcome.error : undefined;
        const stop = target.giveUp(outcome.kind, ++failures[outcome.kind], error);
        if (stop !== undefined) throw stop;
        schedule.afterFailure();
      }
    }
  }
}
