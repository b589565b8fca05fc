/** One caller waiting in a {@link WaitQueue}. */
interface Waiter<T> {
  resolve(value: T): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
}

/** The one abort listener a queue keeps on a signal, and how many of its waiters follow it. */
interface Watch {
  waiters: number;
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
  /** One listener per signal, however many waiters share it (a run's signal, say). */
  private readonly watches = new Map<AbortSignal, Watch>();

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
      this.waiters.push({ resolve, reject, signal });
      if (signal) this.watch(signal);
    });
  }

  /** Gives `value` to the caller that has waited longest; false (value not taken) when nobody waits. */
  handOut(value: T): boolean {
    const waiter = this.waiters.shift();
    if (!waiter) return false;
    if (waiter.signal) this.unwatch(waiter.signal);
    waiter.resolve(value);
    return true;
  }

  /** Rejects every caller waiting now with `reason`, and empties the queue. */
  rejectAll(reason: unknown): void {
    for (const [signal, watch] of this.watches) signal.removeEventListener("abort", watch.onAbort);
    this.watches.clear();
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
  }

  /** Follows `signal` for one more waiter: a listener is added for its first only. */
  private watch(signal: AbortSignal): void {
    const watch = this.watches.get(signal);
    if (watch) {
      watch.waiters++;
      return;
    }
    const onAbort = () => {
      this.watches.delete(signal);
      // Every waiter that gave up leaves the queue at once; the others keep their turn.
      const leaving = this.waiters.filter((waiter) => waiter.signal === signal);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i]?.signal === signal) this.waiters.splice(i, 1);
      }
      for (const waiter of leaving) waiter.reject(signal.reason);
    };
    this.watches.set(signal, { waiters: 1, onAbort });
    signal.addEventListener("abort", onAbort, { once: true });
  }

  /** One waiter less follows `signal`: the listener goes with the last. */
  private unwatch(signal: AbortSignal): void {
    const watch = this.watches.get(signal);
    if (!watch || --watch.waiters > 0) return;
    this.watches.delete(signal);
    signal.removeEventListener("abort", watch.onAbort);
  }
}
