/** One caller waiting in a {@link WaitQueue}. */
interface Waiter<T> {
  resolve(value: T): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
}

/**
 * Callers waiting, in arrival order, for values handed out one at a time
 * (slots of a limiter, say), each able to give up through its own
 * `AbortSignal`: an aborted waiter leaves the queue at once, rejected with
 * the signal's reason, and is never handed a value. The queue decides
 * nothing about when to hand out: its owner calls {@link WaitQueue.handOut}
 * when a value is free.
 *
 * @example
 * ```ts
 * const waiting = new WaitQueue<() => void>();
 * const slot = waiting.wait(AbortSignal.timeout(5_000)); // queued
 * waiting.handOut(() => console.log("given back"));       // the oldest waiter gets it
 * (await slot)();
 * ```
 */
export class WaitQueue<T> {
  private readonly waiters: Waiter<T>[] = [];

  /** Callers waiting now. */
  get length(): number {
    return this.waiters.length;
  }

  /**
   * Waits for a value handed out by {@link WaitQueue.handOut}, after every
   * caller that came before. Rejects with the signal's reason when it
   * aborts first (at once when it already has, without queueing).
   */
  wait(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
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

  /** Gives `value` to the caller that has waited longest; false (value not taken) when nobody waits. */
  handOut(value: T): boolean {
    const waiter = this.waiters.shift();
    if (!waiter) return false;
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(value);
    return true;
  }

  /** Rejects every caller waiting now with `reason`, and empties the queue. */
  rejectAll(reason: unknown): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.reject(reason);
    }
  }
}
