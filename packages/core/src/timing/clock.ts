import { sleep } from "./sleep.js";

/**
 * The time source of everything in mdkit that waits: the retry loop, the
 * deadlines, the transport's timeouts, polling. Inject one (such as a manual
 * test clock) to test timing without real waits.
 */
export interface Clock {
  /** The current time, ms since the epoch. */
  now(): number;
  /**
   * Resolves after `ms` on this clock; rejects with the signal's reason as
   * soon as it aborts (at once when it already has).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and {@link sleep} on `setTimeout`. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now(), sleep });
