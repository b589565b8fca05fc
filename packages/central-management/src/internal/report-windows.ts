/**
 * One query of a report period: `from` and `to` become `start_time` and
 * `end_time` (undefined: not sent).
 */
export interface ReportWindow {
  from: number | undefined;
  to: number | undefined;
}

/**
 * Splits a period into windows of at most `maxWindowMs`. Adjacent windows
 * share their boundary millisecond (the document does not say whether
 * `end_time` is inclusive), and {@link EdgeRecords} drops what the earlier
 * window already gave there. Without an end, a period that fits one window
 * stays open-ended, as asked; a longer one ends at `now`.
 */
export function splitPeriod(
  start: number | undefined,
  end: number | undefined,
  maxWindowMs: number,
  now: number,
): ReportWindow[] {
  if (start === undefined) return [{ from: start, to: end }];
  if (end === undefined && now - start <= maxWindowMs) return [{ from: start, to: end }];
  const last = end ?? now;
  if (last < start) return [{ from: start, to: end }];
  const windows: ReportWindow[] = [];
  for (let from = start; ; ) {
    const to = Math.min(last, from + maxWindowMs);
    windows.push({ from, to });
    if (to >= last) return windows;
    from = to;
  }
}

/** A record's identity for de-duplication: its JSON (equal records from one server serialise alike). */
const keyOf = (record: unknown) => JSON.stringify(record);

const timestampOf = (record: unknown) => (record as { timestamp?: unknown } | null)?.timestamp;

/**
 * The records at the millisecond two adjacent windows share: remembered
 * while the earlier window is read, skipped when the later one repeats them.
 * So the windows give every record once whether the service reads
 * `end_time` as inclusive or exclusive.
 */
export class EdgeRecords {
  /** Records given at the previous window's end, by key, with their count. */
  #previous = new Map<string, number>();
  #current = new Map<string, number>();
  #window: ReportWindow = { from: undefined, to: undefined };

  /** Starts reading `window` (after the one read before, if any). */
  enter(window: ReportWindow): void {
    this.#previous = this.#current;
    this.#current = new Map();
    this.#window = window;
  }

  /** Whether to give `record` (false: the previous window gave it already). */
  keep(record: unknown): boolean {
    const at = timestampOf(record);
    if (at === undefined) return true;
    if (at === this.#window.from && this.#previous.size > 0) {
      const key = keyOf(record);
      const left = this.#previous.get(key) ?? 0;
      if (left > 0) {
        this.#previous.set(key, left - 1);
        return false;
      }
    }
    if (at === this.#window.to) {
      const key = keyOf(record);
      this.#current.set(key, (this.#current.get(key) ?? 0) + 1);
    }
    return true;
  }
}
