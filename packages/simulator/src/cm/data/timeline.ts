import { deriveSeed } from "../../internal/random.js";

/** One day in ms. */
export const DAY_MS = 86_400_000;

/** How far back the seeded report data reaches from `dataEndsAt`. */
export const DATA_SPAN_MS = 30 * DAY_MS;

/**
 * The timestamps of `count` lazily generated records spread over the span
 * before `end`, ascending with the index: record `i` lies in its own slot
 * `[floor(i·step), floor((i+1)·step))` with a seeded offset inside it. So a
 * time window maps to an index range by binary search over {@link at},
 * without generating (or scanning) the records in between.
 */
export class Timeline {
  /** First ms of the span. */
  readonly start: number;
  private readonly step: number;

  constructor(
    private readonly seed: number,
    private readonly key: string,
    /** Number of records. */
    readonly count: number,
    /** The end of the span (exclusive), ms since the epoch. */
    readonly end: number,
    spanMs = DATA_SPAN_MS,
  ) {
    this.start = end - spanMs;
    this.step = count > 0 ? spanMs / count : spanMs;
  }

  /** Timestamp of record `i` (ms since the epoch). */
  at(i: number): number {
    const base = Math.floor(i * this.step);
    const width = Math.floor((i + 1) * this.step) - base;
    const offset =
      width > 1 ? Math.floor((deriveSeed(this.seed, this.key, i) / 2 ** 32) * width) : 0;
    return this.start + base + offset;
  }

  /** The first index whose timestamp is `>= time` (`count` when none is). */
  lowerBound(time: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.at(mid) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The index range `[lo, hi)` of the records with `from <= timestamp <= to`
   * (both inclusive; an absent bound does not restrict).
   */
  range(from?: number, to?: number): [number, number] {
    const lo = from === undefined ? 0 : this.lowerBound(from);
    const hi = to === undefined ? this.count : this.lowerBound(to + 1);
    return [lo, Math.max(lo, hi)];
  }
}
