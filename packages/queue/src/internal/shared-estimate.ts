import { createDurationEstimator, type DurationEstimator } from "@mdkit/scan";
import type { Redis } from "ioredis";

/** Most often a process writes its estimate to Redis, in ms. */
const WRITE_EVERY_MS = 1_000;
/** How long an estimate nobody refreshes is kept, in ms (a day). */
const KEEP_MS = 86_400_000;

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
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts from the estimate the other processes wrote, if any (and none was observed here yet). */
  async load(): Promise<void> {
    const stored = Number(await this.redis.get(this.key));
    if (stored > 0 && this.local.estimateMs() === undefined) this.local.observe(stored);
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
