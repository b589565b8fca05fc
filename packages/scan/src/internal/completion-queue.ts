/**
 * Items in the order they complete, for one consumer: producers `push`,
 * the consumer drains them and sleeps until the next one (or `wake`).
 */
export class CompletionQueue<T> {
  private readonly items: T[] = [];
  private notify: (() => void) | undefined;

  /** Adds a completed item and wakes the consumer. */
  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  /** Wakes the consumer to check whether it is done. */
  wake(): void {
    this.notify?.();
  }

  /** Yields every item as it comes, until none is left and `done()` holds. */
  async *drain(done: () => boolean): AsyncGenerator<T> {
    try {
      for (;;) {
        while (this.items.length > 0) yield this.items.shift() as T;
        if (done()) return;
        await new Promise<void>((resolve) => {
          this.notify = resolve;
        });
        this.notify = undefined;
      }
    } finally {
      this.notify = undefined;
    }
  }
}
