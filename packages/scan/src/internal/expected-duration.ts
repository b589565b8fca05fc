import type { PollOptions } from "../poll.js";

/**
 * How long the analysis should take: the estimator's figure when it gives a
 * finite one from 0, else `initialDelayMs` (100 ms by default). A custom
 * estimator answering `NaN`, `Infinity` or a negative figure is not
 * believed: it must neither make the first poll wait forever nor come at once.
 */
export function expectedDurationMs(options: PollOptions): number {
  const estimate = options.estimator?.estimateMs(options.sizeBytes);
  if (typeof estimate === "number" && Number.isFinite(estimate) && estimate >= 0) return estimate;
  return options.initialDelayMs ?? 100;
}
