import type { Timeline } from "./timeline.js";

/**
 * A kind of lazily generated report: record `i` is a pure function of the
 * seed, the kind and `i`, and its timestamp comes from the kind's
 * {@link Timeline}, so nothing is kept in memory however large `count` is.
 */
export interface ReportSet<R> {
  /** Name of the kind (`pmp`, `mdd`, `core`), also used in cursor tokens. */
  readonly kind: string;
  /** Timestamps of the records. */
  readonly timeline: Timeline;
  /** Record `i` (0 ≤ i < `timeline.count`). */
  at(i: number): R;
}

const SESSION_MS = 10 * 60_000;

/**
 * Timestamp of detail `j` of `total` in a session that ended at
 * `reportTime`: the details precede the report, in order.
 */
export function detailTime(reportTime: number, j: number, total: number): number {
  return reportTime - Math.floor(((total - j) * SESSION_MS) / Math.max(total, 1));
}
