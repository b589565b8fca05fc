/**
 * A clock a test moves by hand: pass it (or its `now`) as a component's clock
 * option. Its `sleep` waits on the clock's own time line, so timing logic runs
 * without real waits: `advance` moves time on, `run` drives a promise to the
 * end by jumping from one pending sleep to the next.
 */
export interface ManualClock {
  /** The current time, ms since the epoch. */
  now(): number;
  /** Moves the clock forward by `ms`, ending (in time order) every sleep due by then. */
  advance(ms: number): void;
  /**
   * Resolves once the clock has moved `ms` forward; rejects with the signal's
   * reason as soon as it aborts (at once when it already has).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Sleeps not yet ended. */
  readonly pending: number;
  /** The length of every sleep asked for, in order (for assertions on delays). */
  readonly sleeps: readonly number[];
  /**
   * Settles `work` on the clock's time line: lets it run, and whenever it is
   * only waiting on this clock, moves time to the end of the earliest pending
   * sleep. Real I/O still takes real time; a run idle for `idleLimitMs` of
   * real time with no sleep pending fails.
   */
  run<T>(work: Promise<T>, options?: { idleLimitMs?: number }): Promise<T>;
}

interface PendingSleep {
  due: number;
  resolve(): void;
}

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Creates a {@link ManualClock} starting at `start` (default 2026-01-01T00:00Z). */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let t = start;
  const timers: PendingSleep[] = [];
  const sleeps: number[] = [];

  function fireDue(until: number) {
    for (;;) {
      timers.sort((a, b) => a.due - b.due);
      const next = timers[0];
      if (!next || next.due > until) break;
      timers.shift();
      t = Math.max(t, next.due);
      next.resolve();
    }
    t = Math.max(t, until);
  }

  const clock: ManualClock = {
    now: () => t,
    advance(ms) {
      fireDue(t + ms);
    },
    sleep(ms, signal) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer: PendingSleep = {
          due: t + Math.max(0, ms),
          resolve() {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        function onAbort() {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal?.reason);
        }
        timers.push(timer);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
    get pending() {
      return timers.length;
    },
    sleeps,
    async run(work, options = {}) {
      let settled = false;
      const watched = work.finally(() => {
        settled = true;
      });
      watched.catch(() => {});
      const idleLimit = options.idleLimitMs ?? 5_000;
      let idleSince = Date.now();
      while (!settled) {
        await macrotask();
        if (settled) break;
        const next = timers.reduce<number | undefined>(
          (min, timer) => (min === undefined || timer.due < min ? timer.due : min),
          undefined,
        );
        if (next !== undefined) {
          fireDue(next);
          idleSince = Date.now();
        } else if (Date.now() - idleSince > idleLimit) {
          throw new Error(`manualClock.run: no progress and no pending sleep for ${idleLimit} ms`);
        } else {
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      return watched;
    },
  };
  return clock;
}
