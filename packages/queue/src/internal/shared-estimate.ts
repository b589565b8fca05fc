import { createDurationEstimator, type DurationEstimator } from "@mdkit/scan";
import type { Redis } from "ioredis";

/** Most often a process writes its estimate to Redis, in ms. */
const WRITE_EVERY_MS = 1_000;
/** How long an estimate nobody refreshes is kept, in ms (a day). */
const KEEP_MS = 86_400_000;
/** The longest stored text read: an estimate is whole ms, written as at most 16 digits. */
const MAX_DIGITS = 16;

/**
 * The estimate a stored text states, in ms, when it is one: at most 16
 * digits (what {@link SharedEstimate.observe} writes) of a duration in
 * `(0, maxMs]`. Anything else — NaN, a sign, an exponent, spaces, a longer
 * text, 10^12, 0 — is no estimate: Redis is a shared store, and a value
 * there (corrupt, or written by a hostile client) must not decide when
 * every worker polls.
 */
export function storedEstimate(text: string | null, maxMs: number): number | undefined {
  if (text === null || !/^\d+$/.test(text) || text.length > MAX_DIGITS) return undefined;
  const ms = Number(text);
  return ms > 0 && ms <= maxMs ? ms : undefined;
}

/**
 * How long the gateway takes to analyse a file, learned by every process
 * of a budget: each keeps `@mdkit/scan`'s moving average and writes it to
 * Redis (at most once a second); a process that starts reads it, so that
 * its first polls come when the files are likely done instead of early
 * (an early poll of a file holding a budget slot delays the next upload).
 */
export class SharedEstimate implements DurationEstimator {
  private readonly local = createDurationEstimator();
  private lastWriteMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    /** The longest stored estimate believed, in ms (the scans' per-file timeout). */
    private readonly maxMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Starts from the estimate the other processes wrote, if it is one (see
   * {@link storedEstimate}) and none was observed here yet. At most 17
   * bytes are read, whatever is stored; a failure to read (a key of another
   * type) goes to `onError` and leaves the process without an estimate.
   */
  async load(): Promise<void> {
    const text = await this.redis.getrange(this.key, 0, MAX_DIGITS).catch((error: unknown) => {
      this.onError(error);
      return null;
    });
    const stored = storedEstimate(text, this.maxMs);
    if (stored !== undefined && this.local.estimateMs() === undefined) this.local.observe(stored);
  }

  observe(durationMs: number, sizeBytes?: number): void {
    this.local.observe(durationMs, sizeBytes);
    const now = Date.now();
    const estimate = this.local.estimateMs();
    if (estimate === undefined || now - this.lastWriteMs < WRITE_EVERY_MS) return;
    this.lastWriteMs = now;
    this.redis.set(this.key, String(Math.round(estimate)), "PX", KEEP_MS).catch(this.onError);
  }

  estimateMs(sizeBytes?: number): number | undefined {
    return this.local.estimateMs(sizeBytes);
  }
}
