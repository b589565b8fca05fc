import { armTimer } from "../internal/timer.js";
import { DeadlineExceededError, isDeadlineExceeded } from "../transport-errors.js";
import { type Clock, systemClock } from "./clock.js";

const noop = () => {};

/** Where a deadline's signal records its end, so that nested deadlines and retry loops see it. */
const DEADLINE_AT = Symbol.for("@mdkit/deadline-at");

/** Options of {@link createDeadline}. */
export interface DeadlineOptions {
  /** Length of the deadline, ms from now. Default: none (only `signal`'s deadline, if it has one). */
  timeoutMs?: number | undefined;
  /** The caller's signal: its abort aborts the deadline's signal with the same reason. */
  signal?: AbortSignal | undefined;
  /** Time source. Default the system clock. */
  clock?: Clock | undefined;
  /** Package named in the timeout error's prefix. Default `@mdkit/core`. */
  source?: string | undefined;
  /** What must finish in time, for the error message. Default `"the operation"`. */
  what?: string | undefined;
}

/** A point in time work must end by, as an `AbortSignal` and a remaining-time query. */
export interface Deadline extends Disposable {
  /**
   * Aborts when the deadline passes (reason: a `DeadlineExceededError`) or
   * when the caller's signal aborts (reason: the caller's). Pass it to every
   * request and wait of the work it bounds.
   */
  readonly signal: AbortSignal;
  /** When the deadline passes, ms since the epoch on its clock; `undefined` without one. */
  readonly at: number | undefined;
  /** Milliseconds left (0 once passed; `Infinity` without a deadline). */
  remainingMs(): number;
  /** Whether a wait of `ms` would end before the deadline. */
  allows(ms: number): boolean;
  /** Whether the deadline (this one or an enclosing one) has passed. A caller's abort is not expiry. */
  readonly expired: boolean;
  /** Stops the timer and stops following the caller's signal (the signal stays as it is). Call it when the work is done. */
  dispose(): void;
}

/**
 * When the deadline carried by a signal passes (ms since the epoch), if it carries one.
 *
 * @example
 * ```ts
 * const deadline = createDeadline({ timeoutMs: 5_000 });
 * deadlineAt(deadline.signal); // Date.now() + 5000, about
 * deadlineAt(new AbortController().signal); // undefined: a plain signal carries no deadline
 * deadline.dispose();
 * ```
 */
export function deadlineAt(signal: AbortSignal | undefined): number | undefined {
  return (signal as (AbortSignal & { [DEADLINE_AT]?: number }) | undefined)?.[DEADLINE_AT];
}

/**
 * A deadline `timeoutMs` from now, bounded by any deadline the caller's
 * `signal` already carries (the earlier wins). Its `signal` fires at the
 * deadline with a typed {@link DeadlineExceededError}; every wait given that
 * signal (requests, retries, polls) ends there.
 *
 * @example
 * ```ts
 * using deadline = createDeadline({ timeoutMs: 10_000, signal, what: "the upload" });
 * await fetch(url, { signal: deadline.signal });
 * if (!deadline.allows(retryAfterMs)) throw lastError;
 * ```
 */
export function createDeadline(options: DeadlineOptions = {}): Deadline {
  const clock = options.clock ?? systemClock;
  const parent = options.signal;
  const timeoutMs = options.timeoutMs;
  const own =
    timeoutMs !== undefined && Number.isFinite(timeoutMs)
      ? clock.now() + Math.max(0, timeoutMs)
      : undefined;
  const inherited = deadlineAt(parent);
  const at =
    own === undefined ? inherited : inherited === undefined ? own : Math.min(own, inherited);
  // A signal of its own even without a timeout: whatever listens to it (every
  // `Request` does, until it is collected) never piles up on a caller's
  // long-lived signal, which only ever sees the one listener `dispose` removes.
  const controller = new AbortController();
  Object.defineProperty(controller.signal, DEADLINE_AT, { value: at });
  const expire = () =>
    controller.abort(
      new DeadlineExceededError(
        `${options.what ?? "the operation"} did not finish within ${timeoutMs} ms`,
        { source: options.source, timeoutMs: timeoutMs ?? 0 },
      ),
    );
  const follow = () => controller.abort(parent?.reason);
  let stopTimer: (() => void) | undefined;
  if (parent?.aborted) follow();
  else {
    parent?.addEventListener("abort", follow, { once: true });
    // Without a timeout of its own, it ends when the caller's signal does.
    if (own !== undefined) {
      const wait = own - clock.now();
      if (wait <= 0) expire();
      else stopTimer = armTimer(clock, wait, expire);
    }
  }
  const dispose = () => {
    stopTimer?.();
    stopTimer = undefined;
    parent?.removeEventListener("abort", follow);
  };
  return new SignalBoundDeadline(controller.signal, at, clock, dispose);
}

/**
 * A {@link Deadline} over `signal`, which aborts by `at` (ms on `clock`) or
 * sooner. A class, so that the accessors live on one prototype (an object
 * literal with a getter per deadline is slower to make, and deadlines are
 * made per call).
 */
class SignalBoundDeadline implements Deadline {
  readonly signal: AbortSignal;
  readonly at: number | undefined;
  readonly #clock: Clock;
  readonly dispose: () => void;

  constructor(signal: AbortSignal, at: number | undefined, clock: Clock, dispose: () => void) {
    this.signal = signal;
    this.at = at;
    this.#clock = clock;
    this.dispose = dispose;
  }

  remainingMs(): number {
    return this.at === undefined
      ? Number.POSITIVE_INFINITY
      : Math.max(0, this.at - this.#clock.now());
  }

  allows(ms: number): boolean {
    return ms < this.remainingMs();
  }

  get expired(): boolean {
    if (this.at !== undefined && this.#clock.now() >= this.at) return true;
    return this.signal.aborted && isDeadlineExceeded(this.signal.reason);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * The deadline a caller's signal already carries, as a {@link Deadline},
 * without a signal, timer or listener of its own: `signal` is the caller's.
 * Only for work whose every listener on the signal is removed when it ends
 * (the Node transport's lean requests): what a `Request` adds there stays
 * until the request is collected, and would pile up on a long-lived signal.
 */
export function signalDeadline(signal: AbortSignal, clock: Clock = systemClock): Deadline {
  return new SignalBoundDeadline(signal, deadlineAt(signal), clock, noop);
}
