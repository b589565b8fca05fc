import { type Clock, systemClock } from "@mdkit/core";
import {
  type AimdOptions,
  type AimdSettings,
  type AimdState,
  aimdLimit,
  aimdOnBusy,
  aimdOnSuccess,
  aimdStart,
} from "./aimd.js";
import { Semaphore } from "./internal/semaphore.js";

/** Options of {@link AdaptiveLimiter} (see {@link AimdOptions} for each default). */
export interface AdaptiveLimiterOptions extends AimdOptions {
  /** Time source of the cooldown. Default the system clock. */
  clock?: Pick<Clock, "now"> | undefined;
}

/**
 * A concurrency limit on the gateway: a slot to hold while a file occupies
 * the gateway (from its upload until its result is in), and the two signals
 * the limit adapts to. Pass one as the `limiter` option of `scanFile`,
 * `scanFiles` or `scanBatch` to share a limit between calls.
 * {@link AdaptiveLimiter} is one in memory; `@mdkit/queue`'s shared limiter
 * is one kept in Redis for many processes.
 */
export interface ConcurrencyLimiter {
  /** Waits for a slot; call the returned function exactly once to give it back. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** The gateway answered "busy" (503/429) while a slot was held (the refused upload's included). */
  busy(): void;
  /** A unit of work that held a slot finished well (a scan's result is in, an upload was accepted). */
  success(): void;
}

/**
 * Bounded concurrency that adapts to the server (AIMD, as TCP does): until
 * the first "server busy" each success adds a slot (slow start: the limit
 * doubles per round of work); then each success adds 1/limit (about +1 per
 * round). A "server busy" at the limit lowers it to the slots in use minus
 * the refused one — the server's capacity was just found — and remembers
 * that as a ceiling, above which the limit only probes slowly; each refusal
 * of a burst lowers it once more. Below the limit (the server is loaded by
 * others too) it shrinks multiplicatively, once per `cooldownMs`. Overload
 * slows the client down instead of failing files.
 *
 * @example
 * ```ts
 * const limiter = new AdaptiveLimiter({ initial: 4, max: 32 });
 * const [a, b] = await Promise.all([
 *   scanFile(cluster, first, { limiter }),
 *   scanFile(cluster, second, { limiter }),
 * ]);
 * ```
 */
export class AdaptiveLimiter implements ConcurrencyLimiter {
  private state: AimdState;
  private settings: AimdSettings;
  private readonly slots: Semaphore;
  private readonly clock: Pick<Clock, "now">;

  constructor(options: AdaptiveLimiterOptions = {}) {
    ({ settings: this.settings, state: this.state } = aimdStart(options));
    this.clock = options.clock ?? systemClock;
    this.slots = new Semaphore(() => this.limit);
  }

  /** The current limit (whole slots). */
  get limit(): number {
    return aimdLimit(this.state);
  }

  /** Slots in use. */
  get inFlight(): number {
    return this.slots.inUse;
  }

  /** Waits for a slot; call the returned function exactly once to give it back. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return this.slots.acquire(signal);
  }

  /**
   * Stops probing above the learned ceiling (growth below it continues). A
   * run calls it once no more work is coming, so that a probe's "busy" answer
   * cannot delay the last files.
   */
  stopProbing(): void {
    this.settings = { ...this.settings, probeRate: 0 };
  }

  /** A unit of work succeeded: grow (see the class). */
  success(): void {
    this.state = aimdOnSuccess(this.state, this.settings);
    this.slots.pump();
  }

  /** The server said it is busy: shrink (see the class). `now` defaults to the clock's. */
  busy(now: number = this.clock.now()): void {
    // The server refused while these slots were in use (the refused one included).
    this.state = aimdOnBusy(this.state, this.settings, this.slots.inUse, now);
  }
}
