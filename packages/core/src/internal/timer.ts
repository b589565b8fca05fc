import { type Clock, systemClock } from "../timing/clock.js";
import { clampDelay } from "../timing/sleep.js";

/** The reason internal timers are stopped with: a plain value, so stopping one builds no `DOMException`. */
const STOPPED = Symbol("timer stopped");

/**
 * Calls `fire` after `ms` on `clock` unless the returned function is called
 * first. The transport's connect, headers and idle timeouts are built on it,
 * so a manual clock drives them in tests. On the system clock it is a bare
 * `setTimeout`: these timers are armed and stopped several times per
 * request, and an `AbortController` per timer costs more than the request's
 * own JavaScript.
 */
export function armTimer(clock: Clock, ms: number, fire: () => void): () => void {
  if (clock === systemClock) {
    const timer = setTimeout(fire, clampDelay(ms));
    return () => clearTimeout(timer);
  }
  const stop = new AbortController();
  clock.sleep(ms, stop.signal).then(fire, () => {});
  return () => stop.abort(STOPPED);
}

/**
 * Settles like `work`, or rejects with the signal's reason as soon as it
 * aborts — even when `work` itself ignores the signal (an injected `fetch`
 * that never looks at it must not outlive a deadline).
 */
export function raceSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
