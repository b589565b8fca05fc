/** The longest delay `setTimeout` accepts (2^31 − 1 ms, about 24.8 days); longer ones would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms` milliseconds (negative counts as 0, longer than
 * {@link MAX_TIMER_MS} is capped to it). Rejects with the signal's reason as
 * soon as it aborts — at once when it already has, without starting a timer.
 *
 * @example
 * ```ts
 * await sleep(250, AbortSignal.timeout(1_000));
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(done, clampDelay(ms));
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A delay a timer can honour: finite, within `[0, MAX_TIMER_MS]` (NaN counts as 0).
 *
 * @example
 * ```ts
 * clampDelay(1_500); // 1500
 * clampDelay(-5); // 0
 * clampDelay(Number.NaN); // 0
 * clampDelay(Number.POSITIVE_INFINITY); // 2147483647, the longest a timer can wait
 * ```
 */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
