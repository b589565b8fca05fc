import { WaitQueue } from "@mdkit/core";

/**
 * A counting semaphore whose limit may change between calls. Slots are
 * handed to waiters in arrival order at the moment one frees (or the limit
 * grows), so `inUse` always counts every slot held or handed over: a
 * waiter never loses a race, and a limiter reading `inUse` on a "busy"
 * answer sees exactly what occupies the server.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters = new WaitQueue<() => void>();

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
    return this.waiters.wait(signal);
  }

  /** Hands free slots to waiters, in order; call it when the limit may have grown. */
  pump(): void {
    while (this.waiters.length > 0 && this.active < this.limit()) {
      this.waiters.handOut(this.take());
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
