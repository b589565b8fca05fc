/** Options of {@link AdaptiveLimiter}. */
export interface AdaptiveLimiterOptions {
  /** Starting limit. Default 4. */
  initial?: number;
  /** Lowest limit. Default 1. */
  min?: number;
  /** Highest limit. Default 64. */
  max?: number;
  /** Factor applied on "busy" when fewer slots than the limit are in use. Default 0.8. */
  decrease?: number;
  /** Growth at or above the learned ceiling, as a share of the normal growth. Default 1/64. */
  probeRate?: number;
  /** Decreases closer together than this count once, in ms. Default 200. */
  cooldownMs?: number;
}

/**
 * Bounded concurrency that adapts to the server (AIMD, as TCP does): each
 * success raises the limit by 1/limit (about +1 per round of work); a
 * "server busy" lowers it below the number of slots that were in use — the
 * server's capacity was just found — and remembers that as a ceiling, above
 * which the limit only probes slowly. Decreases closer than `cooldownMs`
 * count once, so one burst of 503s is one signal. Overload slows the client
 * down instead of failing files.
 */
export class AdaptiveLimiter {
  private value: number;
  private active = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private ceiling = Number.POSITIVE_INFINITY;
  private probeRate: number;
  private readonly queue: Array<() => void> = [];
  private readonly min: number;
  private readonly max: number;
  private readonly factor: number;
  private readonly cooldownMs: number;

  constructor(options: AdaptiveLimiterOptions = {}) {
    this.min = Math.max(1, options.min ?? 1);
    this.max = Math.max(this.min, options.max ?? 64);
    this.value = Math.min(this.max, Math.max(this.min, options.initial ?? 4));
    this.factor = options.decrease ?? 0.8;
    this.cooldownMs = options.cooldownMs ?? 200;
    this.probeRate = options.probeRate ?? 1 / 64;
  }

  /** The current limit (whole slots). */
  get limit(): number {
    return Math.floor(this.value);
  }

  /** Slots in use. */
  get inFlight(): number {
    return this.active;
  }

  /** Waits for a slot; call the returned function exactly once to give it back. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    // An aborted caller gets no slot, even a free one.
    signal?.throwIfAborted();
    while (this.active >= this.limit) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.queue.indexOf(wake);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal?.reason);
        };
        this.queue.push(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.wake();
    };
  }

  /**
   * Stops probing above the learned ceiling (growth below it continues). A
   * run calls it once no more work is coming, so that a probe's "busy" answer
   * cannot delay the last files.
   */
  stopProbing(): void {
    this.probeRate = 0;
  }

  /** A unit of work succeeded: grow additively. */
  success(): void {
    const step = 1 / this.value;
    this.value = Math.min(
      this.max,
      this.value + (this.value < this.ceiling ? step : step * this.probeRate),
    );
    this.wake();
  }

  /** The server said it is busy: shrink multiplicatively (once per cooldown). */
  busy(now = Date.now()): void {
    if (now - this.lastDecrease < this.cooldownMs) return;
    this.lastDecrease = now;
    // The server refused while `active` slots were in use (this one included).
    const found = Math.max(this.min, this.active - 1);
    this.ceiling = found;
    // Refused at our own limit: capacity is about what was in use. Refused below it:
    // the server is loaded by others too, so back off multiplicatively.
    const next = this.active >= this.limit ? found : this.value * this.factor;
    this.value = Math.max(this.min, Math.min(this.value, next));
  }

  /** Wakes one waiter per free slot; a waiter that loses a race queues again. */
  private wake() {
    for (let free = this.limit - this.active; free > 0 && this.queue.length > 0; free--)
      this.queue.shift()?.();
  }
}
