/** Exponential backoff settings, in milliseconds. */
export interface BackoffOptions {
  /** Delay of the first retry (attempt 0), before jitter. */
  initialMs: number;
  /** Largest delay, before jitter. */
  maxMs: number;
  /** Growth per attempt. Default 2. */
  factor?: number | undefined;
}

/**
 * The delay before retry number `attempt` (0-based): exponential, capped at
 * `maxMs`, with "equal jitter" — between half and all of the exponential
 * value — so that many clients do not retry in lock-step. `random` returns a
 * number in [0, 1) (default `Math.random`; inject one in tests).
 *
 * @example
 * ```ts
 * backoffDelay(3, { initialMs: 250, maxMs: 10_000 }); // 1,000–2,000 ms
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const growth = (options.factor ?? 2) ** Math.max(0, attempt);
  const exponential = Math.max(0, Math.min(options.maxMs, options.initialMs * growth));
  return exponential / 2 + random() * (exponential / 2);
}
