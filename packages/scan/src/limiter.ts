/** Options of {@link AdaptiveLimiter}. */
export interface AdaptiveLimiterOptions {
  /** Starting limit. Default 4. */
  initial?: number;
  /** Lowest limit. Default 1. */
  min?: number;
  /** Highest limit. Default 64. */
  max?: number;
  /** Factor applied on "busy". Default 0.8. */
  decrease?: number;
  /** Decreases closer together than this count once, in ms. Default 200. */
  cooldownMs?: number;
}

/**
 * Bounded concurrency that adapts to the server (AIMD, as TCP does): each
 * success raises the limit by 1/limit (about +1 per round of work), each
 * "server busy" multiplies it by `decrease`, at most once per `cooldownMs` so
 * that one burst of 503s is one signal. Overload slows the client down instead
 * of failing files.
 */
export class AdaptiveLimiter {
  private value: number;
  private active = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;
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

  /** A unit of work succeeded: grow additively. */
  success(): void {
    this.value = Math.min(this.max, this.value + 1 / this.value);
    this.wake();
  }

  /** The server said it is busy: shrink multiplicatively (once per cooldown). */
  busy(now = Date.now()): void {
    if (now - this.lastDecrease < this.cooldownMs) return;
    this.lastDecrease = now;
    this.value = Math.max(this.min, this.value * this.factor);
  }

  /** Wakes one waiter per free slot; a waiter that loses a race queues again. */
  private wake() {
    for (let free = this.limit - this.active; free > 0 && this.queue.length > 0; free--)
      this.queue.shift()?.();
  }
}
