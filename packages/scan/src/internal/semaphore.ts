/** One caller waiting for a slot. */
interface Waiter {
  resolve(release: () => void): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
}

/**
 * A counting semaphore whose limit may change between calls. Slots are
 * handed to waiters in arrival order at the moment one frees (or the limit
 * grows), so `inUse` always counts every slot held or handed over: a
 * waiter never loses a race, and a limiter reading `inUse` on a "busy"
 * answer sees exactly what occupies the server.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  /** `limit` is read whenever a slot could be handed out. */
  constructor(private readonly limit: () => number) {}

  /** Slots held (or handed to a waiter) now. */
  get inUse(): number {
    return this.active;
  }

  /**
   * Waits for a slot; call the returned function exactly once to give it
   * back (later calls do nothing). An aborted caller gets no slot, even a
   * free one, and a waiter whose signal aborts leaves the queue.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.active < this.limit()) {
      return Promise.resolve(this.take());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Hands free slots to waiters, in order; call it when the limit may have grown. */
  pump(): void {
    while (this.waiters.length > 0 && this.active < this.limit()) {
      const waiter = this.waiters.shift() as Waiter;
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(this.take());
    }
  }

  private take(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.pump();
    };
  }
}
