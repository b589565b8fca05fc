import type { Clock } from "../timing/clock.js";

/**
 * Calls `fire` after `ms` on `clock` unless the returned function is called
 * first. The transport's connect, headers and idle timeouts are built on it,
 * so a manual clock drives them in tests.
 */
export function armTimer(clock: Clock, ms: number, fire: () => void): () => void {
  const stop = new AbortController();
  clock.sleep(ms, stop.signal).then(fire, () => {});
  return () => stop.abort();
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
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
