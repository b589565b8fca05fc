import {
  type AimdOptions,
  type AimdSettings,
  type AimdState,
  aimdLimit,
  aimdOnBusy,
  aimdOnSuccess,
  aimdStart,
} from "./aimd.js";

/** Options of {@link AdaptiveLimiter} (see {@link AimdOptions} for each default). */
export type AdaptiveLimiterOptions = AimdOptions;

/**
 * What a scan needs from a concurrency limit on the gateway: a slot to hold
 * while it occupies the gateway, and the two signals the limit adapts to.
 * {@link AdaptiveLimiter} is one in memory; `@mdkit/queue`'s shared limiter
 * is one kept in Redis for many processes.
 */
export interface ConcurrencyLimiter {
  /** Waits for a slot; call the returned function exactly once to give it back. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** The gateway answered "busy" (503/429) while a slot was held. */
  busy(): void;
  /** A unit of work finished well. */
  success(): void;
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
export class AdaptiveLimiter implements ConcurrencyLimiter {
  private state: AimdState;
  private settings: AimdSettings;
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(options: AdaptiveLimiterOptions = {}) {
    ({ settings: this.settings, state: this.state } = aimdStart(options));
  }

  /** The current limit (whole slots). */
  get limit(): number {
    return aimdLimit(this.state);
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
    this.settings = { ...this.settings, probeRate: 0 };
  }

  /** A unit of work succeeded: grow additively. */
  success(): void {
    this.state = aimdOnSuccess(this.state, this.settings);
    this.wake();
  }

  /** The server said it is busy: shrink multiplicatively (once per cooldown). */
  busy(now = Date.now()): void {
    // The server refused while `active` slots were in use (this one included).
    this.state = aimdOnBusy(this.state, this.settings, this.active, now);
  }

  /** Wakes one waiter per free slot; a waiter that loses a race queues again. */
  private wake() {
    for (let free = this.limit - this.active; free > 0 && this.queue.length > 0; free--)
      this.queue.shift()?.();
  }
}
