/**
 * Most records one aggregate (overview, statistics, session counts)
 * examines. Up to this many records in range the figures are exact; beyond,
 * every k-th record stands for k, so an aggregate over millions of records
 * costs the same as over fifty thousand.
 */
export const AGGREGATE_SAMPLE = 50_000;

/**
 * Visits the records of `[lo, hi)` for an aggregate, each with the number
 * of records it stands for (1 while the range fits {@link AGGREGATE_SAMPLE}).
 */
export function forEachSampled(
  lo: number,
  hi: number,
  visit: (index: number, weight: number) => void,
  max = AGGREGATE_SAMPLE,
): void {
  const stride = Math.max(1, Math.ceil((hi - lo) / max));
  for (let i = lo; i < hi; i += stride) visit(i, Math.min(stride, hi - i));
}
