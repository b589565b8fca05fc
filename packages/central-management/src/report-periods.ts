import { ReportPeriodError } from "./errors.js";

/** One day, ms. */
const DAY_MS = 86_400_000;

/** How far back a report query may start and how long one query's period may be, ms. */
export interface ReportPeriodLimit {
  /** The oldest `start_time` the service accepts, as an age from now. */
  maxAgeMs: number;
  /** The longest period (`end_time` − `start_time`) one query may cover. */
  maxWindowMs: number;
  /** The age limit in words, for messages. */
  words: string;
}

/**
 * The limits of the cursor-paged report lists, from `000_08c623853bdeb1b4.txt`:
 * PMP and MetaDefender Drive reports may start at most 30 days back; Core
 * reports at most one year back, with an `end_time` at most 30 days after
 * the `start_time`. The document gives PMP and Drive queries no longest
 * period; their age limit makes 30 days the longest that can be asked.
 */
export const REPORT_PERIOD_LIMITS = {
  "/o/pmp/v1/reports": { maxAgeMs: 30 * DAY_MS, maxWindowMs: 30 * DAY_MS, words: "30 days" },
  "/o/mdd/v1/reports": { maxAgeMs: 30 * DAY_MS, maxWindowMs: 30 * DAY_MS, words: "30 days" },
  "/o/core/v1.1/reports": { maxAgeMs: 365 * DAY_MS, maxWindowMs: 30 * DAY_MS, words: "one year" },
} as const satisfies Record<string, ReportPeriodLimit>;

/** What the report paginators do with a period's start (see {@link REPORT_PERIOD_LIMITS}). */
export interface ReportPeriodOptions {
  /**
   * What to do with a `start_time` further back than the list keeps (more
   * than `startMarginMs` beyond its age limit): `"error"` throws a
   * {@link ReportPeriodError} before any request; `"clamp"` starts at the
   * earliest start instead and tells `onStartClamped`. Default `"error"`:
   * an export of "the last 90 days" that silently held 30 would be wrong.
   */
  startTooOld?: "error" | "clamp" | undefined;
  /** Told when `startTooOld: "clamp"` moved the start: the start asked for and the one sent, ms. */
  onStartClamped?: ((clamped: { requested: number; used: number }) => void) | undefined;
  /**
   * How far inside the age limit the earliest start lies, ms: the request
   * reaches the service a little later than it was made, on a clock that may
   * differ. A start at the limit itself (or up to this much beyond it, such
   * as "30 days ago" computed a moment earlier) is moved there without a
   * word. Default 60,000.
   */
  startMarginMs?: number | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The `start_time` to send for a requested one, `now` being the client's
 * clock: unchanged when the service accepts it, moved to the earliest start
 * when it is at the edge (or when told to clamp), otherwise refused.
 *
 * @throws {ReportPeriodError} when the start is older than the list keeps and `startTooOld` is `"error"`.
 *
 * @example
 * ```ts
 * const now = Date.parse("2026-11-26T00:00:00Z");
 * resolveReportStart("/o/pmp/v1/reports", Date.parse("2026-11-01T00:00:00Z"), now); // unchanged
 * resolveReportStart("/o/pmp/v1/reports", Date.parse("2026-06-01T00:00:00Z"), now);
 * // throws ReportPeriodError: the list keeps reports for 30 days
 * resolveReportStart("/o/pmp/v1/reports", Date.parse("2026-06-01T00:00:00Z"), now, {
 *   startTooOld: "clamp",
 * }); // Date.parse("2026-10-27T00:01:00Z"): the earliest start
 * ```
 */
export function resolveReportStart(
  path: keyof typeof REPORT_PERIOD_LIMITS,
  start: number,
  now: number,
  options: ReportPeriodOptions = {},
): number {
  const { maxAgeMs, words } = REPORT_PERIOD_LIMITS[path];
  const margin = options.startMarginMs ?? 60_000;
  const earliest = now - maxAgeMs + margin;
  if (start >= earliest) return start;
  if (start >= now - maxAgeMs - margin) return earliest;
  if (options.startTooOld === "clamp") {
    options.onStartClamped?.({ requested: start, used: earliest });
    return earliest;
  }
  throw new ReportPeriodError(
    `${path} keeps reports for ${words}: start_time ${iso(start)} is further back than that (the earliest start now is ${iso(earliest)}); start later, or pass startTooOld: "clamp" to export from the earliest start`,
    { path, startTime: start, maxAgeMs, earliestStartTime: earliest },
  );
}
