import { type Clock, systemClock } from "../timing/clock.js";
import { clampDelay } from "../timing/sleep.js";
import { armTimer } from "./timer.js";

/**
 * One timer for the successive waits of a request — connect, send, headers,
 * body — where each {@link PhaseTimer.set} replaces the wait before it.
 *
 * A `lazy` timer on the system clock keeps its underlying `setTimeout` when
 * a new wait ends no earlier than it fires (and when cleared): it then wakes
 * up, sees the wait moved on, and sets itself for the rest. A request that
 * goes through its phases in milliseconds thus costs one `setTimeout`, not
 * one per phase. That timer is unref'd, so a lingering one never holds a
 * process open: only for waits on a socket, which does. Otherwise (and on
 * any other clock, such as a test's manual clock) every change cancels and
 * re-arms, so no stale wait lingers.
 */
export class PhaseTimer {
  readonly #clock: Clock;
  readonly #lazy: boolean;
  #fire: (() => void) | undefined;
  #dueAt = 0;
  #firesAt = 0;
  #cancel: (() => void) | undefined;

  constructor(clock: Clock = systemClock, options: { lazy?: boolean } = {}) {
    this.#clock = clock;
    this.#lazy = options.lazy === true && clock === systemClock;
  }

  /** Calls `fire` in `ms` unless set again, cleared or disposed first. An infinite `ms` only clears. */
  set(ms: number, fire: () => void): void {
    if (!Number.isFinite(ms)) {
      this.clear();
      return;
    }
    const now = this.#clock.now();
    this.#fire = fire;
    this.#dueAt = now + Math.max(0, ms);
    if (this.#cancel && this.#lazy && this.#firesAt <= this.#dueAt) return;
    this.#schedule(now);
  }

  /** Nothing fires until the next {@link set}. */
  clear(): void {
    this.#fire = undefined;
    if (!this.#lazy) this.#stop();
  }

  /** Clears and drops the underlying timer: call it once the request is over. */
  dispose(): void {
    this.#fire = undefined;
    this.#stop();
  }

  #stop() {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #schedule(now: number) {
    this.#stop();
    this.#firesAt = this.#dueAt;
    const wake = () => this.#wake();
    if (this.#lazy) {
      const timer = setTimeout(wake, clampDelay(this.#dueAt - now));
      (timer as { unref?: () => void }).unref?.();
      this.#cancel = () => clearTimeout(timer);
    } else {
      this.#cancel = armTimer(this.#clock, this.#dueAt - now, wake);
    }
  }

  #wake() {
    this.#cancel = undefined;
    const fire = this.#fire;
    if (!fire) return;
    const now = this.#clock.now();
    if (now < this.#dueAt) {
      this.#schedule(now);
      return;
    }
    this.#fire = undefined;
    fire();
  }
}
