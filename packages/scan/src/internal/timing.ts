/** The longest delay `setTimeout` accepts, in ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, Math.min(Math.max(0, ms), MAX_TIMER_MS));
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

/** Exponential backoff settings, in ms. */
export interface BackoffOptions {
  /** First delay. */
  initialMs: number;
  /** Largest delay. */
  maxMs: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
}

/**
 * The delay before attempt `attempt` (0-based): exponential, capped, with
 * "equal jitter" (between half and all of the exponential value) so that
 * many clients do not retry in lock-step.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.initialMs * (options.factor ?? 2) ** attempt);
  return exponential / 2 + random() * (exponential / 2);
}
