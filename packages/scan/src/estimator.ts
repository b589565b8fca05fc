/**
 * Learns how long analyses take on this server (an exponentially weighted
 * moving average), so that the first poll of the next file comes when its
 * result is likely ready instead of at a fixed guess. One estimator is shared
 * by all files of a `scanFiles` run.
 */
export interface DurationEstimator {
  /** Records how long one analysis took from submission to a finished result, in ms. */
  observe(durationMs: number, sizeBytes?: number): void;
  /** The expected duration of an analysis of `sizeBytes`, or `undefined` before any observation. */
  estimateMs(sizeBytes?: number): number | undefined;
}

/**
 * Creates a {@link DurationEstimator}; `weight` is the share of each new observation (default 0.2).
 *
 * @example
 * ```ts
 * const estimator = createDurationEstimator();
 * estimator.estimateMs(); // undefined: nothing observed yet
 * estimator.observe(1_000);
 * estimator.observe(2_000);
 * estimator.estimateMs(); // 1200
 * ```
 */
export function createDurationEstimator(weight = 0.2): DurationEstimator {
  let average: number | undefined;
  return {
    observe(durationMs) {
      if (!Number.isFinite(durationMs) || durationMs < 0) return;
      average = average === undefined ? durationMs : average + weight * (durationMs - average);
    },
    estimateMs() {
      return average;
    },
  };
}
